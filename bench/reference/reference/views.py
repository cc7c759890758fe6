from django.http import JsonResponse
from rest_framework.response import Response
from rest_framework.views import APIView

PAYLOAD = {"name": "The Fool", "number": 0, "arcana": "major", "keywords": ["beginnings", "leap"]}


class ReferenceApi(APIView):
    """DRF's ceiling: an APIView with the default authentication and permission classes."""

    def get(self, request):
        return Response(PAYLOAD)

    def post(self, request):
        return Response(PAYLOAD, status=201)


def reference_json_view(request):
    """Django's ceiling: a plain view answering a JsonResponse."""
    return JsonResponse(PAYLOAD)
