"""Print the active configuration; fail on staging or production misconfiguration."""

from django.core.management.base import BaseCommand, CommandError

from settings.environment import environment_check


class Command(BaseCommand):
    help = (
        "Show the settings module, database, cache, Celery broker, email and SMS backends and "
        "Sentry; in staging and production, exit 1 listing every unsafe or broken setting. "
        "Reads settings only: no service is contacted."
    )

    def handle(self, *args, **options):
        report = environment_check()
        width = max(len(name) for name in report.facts) + 1
        for name, value in report.facts.items():
            self.stdout.write(f"{name + ':':<{width}} {value}")
        if not report.strict:
            self.stdout.write(
                f"Configuration checks apply to staging and production, not {report.environment}."
            )
            return
        for warning in report.warnings:
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
        if report.problems:
            for problem in report.problems:
                self.stderr.write(f"problem: {problem}")
            raise CommandError(
                f"{len(report.problems)} problem(s) in the {report.environment} configuration."
            )
        self.stdout.write(self.style.SUCCESS(f"The {report.environment} configuration is sound."))
