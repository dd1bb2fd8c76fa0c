from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, str]:
    """The site name in every template, so a municipality can brand its installation."""
    return {"SITE_NAME": settings.SITE_NAME}
