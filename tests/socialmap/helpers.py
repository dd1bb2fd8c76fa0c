"""Shared makers for the social-map tests: synthetic entries only."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from buurtkracht.accounts.models import Role, User
from buurtkracht.socialmap.models import Resource
from buurtkracht.socialmap.services import ResourceInput, resource_create
from tests import factories


def community_worker() -> User:
    return factories.UserFactory.create(username="opbouwwerker", roles=[Role.COMMUNITY_WORKER])


def entry(user: Any, **overrides: Any) -> Resource:
    values: dict[str, Any] = {
        "name": "Schuldhulp Lindenhoven",
        "provider_name": "Gemeente Lindenhoven",
        "description": "Hulp bij schulden en een betalingsregeling.",
        "kind": Resource.Kind.SERVICE,
        "access": Resource.Access.REFERRAL,
        "life_domains": ["finances"],
        "verified_on": timezone.localdate(),
    }
    values.update(overrides)
    return resource_create(data=ResourceInput(**values), user=user)
