"""A small OpenID Connect provider for the tests: it speaks the protocol, it is not mocked.

Its views are mounted under /test-oidc/ only by the tests' URL configuration
(`tests.oidc_urls`), in the same process as the site, so a browser test reaches it through
the live server and a test-client test reaches it through `ProviderTransport`, which hands
the site's back-channel calls (token, JWKS, userinfo) to the provider's views.

- authorise: checks client id, redirect URI, response type, state, nonce and the PKCE
  challenge, then sends the browser back with a one-time code for the identity the test
  chose with `provider.sign_in_as(...)`;
- token: checks the code, client secret, redirect URI and PKCE verifier, and answers with
  an id_token signed RS256 with a key made for this run (kid "test-key");
- jwks: the public half of that key; userinfo: the claims for the bearer token.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode, urlsplit

import jwt
import requests
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.test import Client
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

PREFIX = "/test-oidc/"
KID = "test-key"
ISSUER = "http://testserver/test-oidc"


@dataclass
class Provider:
    client_id: str = "buurtkracht-test"
    client_secret: str = "test-secret-for-the-provider"
    key: rsa.RSAPrivateKey = field(
        default_factory=lambda: rsa.generate_private_key(public_exponent=65537, key_size=2048)
    )
    claims: dict[str, Any] = field(default_factory=dict)
    # Set by a test to make the provider misbehave: a changed nonce, another audience.
    tamper: dict[str, Any] = field(default_factory=dict)
    codes: dict[str, dict[str, Any]] = field(default_factory=dict)
    tokens: dict[str, dict[str, Any]] = field(default_factory=dict)
    # What the site sent to the authorisation endpoint last, for the tests to read.
    last_authorisation: dict[str, str] = field(default_factory=dict)

    def sign_in_as(self, **claims: Any) -> None:
        """Who the next login at the provider is (sub, bsn, email, amr, ...)."""
        self.claims = {"sub": secrets.token_hex(8), **claims}
        self.tamper = {}

    def settings_for(self, base_url: str, **extra: Any) -> dict[str, Any]:
        """A provider dictionary as conf/base.py builds it from the environment."""
        base = base_url.rstrip("/") + PREFIX.rstrip("/")
        return {
            "AUTHORIZATION_ENDPOINT": f"{base}/authorize",
            "TOKEN_ENDPOINT": f"{base}/token",
            "USERINFO_ENDPOINT": f"{base}/userinfo",
            "JWKS_ENDPOINT": f"{base}/jwks",
            "ISSUER": ISSUER,
            "CLIENT_ID": self.client_id,
            "CLIENT_SECRET": self.client_secret,
            "SCOPES": "openid",
            "SIGN_ALGO": "RS256",
            "ACR_VALUES": "",
            "USE_PKCE": True,
            **extra,
        }

    def id_token(self, nonce: str, claims: dict[str, Any]) -> str:
        now = int(time.time())
        payload = {
            "iss": ISSUER,
            "aud": self.tamper.get("aud", self.client_id),
            "iat": now,
            "exp": now + 300,
            "nonce": self.tamper.get("nonce", nonce),
            **claims,
        }
        return jwt.encode(payload, self.key, algorithm="RS256", headers={"kid": KID})


provider = Provider()


def _error(message: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": "invalid_request", "error_description": message}, status=status)


@login_not_required
def authorize(request: HttpRequest) -> HttpResponse:
    params = {key: request.GET.get(key, "") for key in request.GET}
    provider.last_authorisation = params
    if params.get("client_id") != provider.client_id:
        return _error("unknown client")
    if params.get("response_type") != "code" or "openid" not in params.get("scope", "").split():
        return _error("only the code flow with scope openid")
    if not params.get("state") or not params.get("nonce") or not params.get("redirect_uri"):
        return _error("state, nonce and redirect_uri are required")
    code = secrets.token_urlsafe(16)
    provider.codes[code] = {
        "nonce": params["nonce"],
        "redirect_uri": params["redirect_uri"],
        "challenge": params.get("code_challenge", ""),
        "claims": dict(provider.claims),
    }
    query = urlencode({"code": code, "state": provider.tamper.get("state", params["state"])})
    return HttpResponseRedirect(f"{params['redirect_uri']}?{query}")


def _client_authenticated(request: HttpRequest) -> bool:
    header = request.headers.get("Authorization", "")
    if header.startswith("Basic "):
        client_id, _, secret = base64.b64decode(header[6:]).decode().partition(":")
    else:
        client_id = request.POST.get("client_id", "")
        secret = request.POST.get("client_secret", "")
    return client_id == provider.client_id and secret == provider.client_secret


@csrf_exempt
@login_not_required
def token(request: HttpRequest) -> HttpResponse:
    if request.method != "POST" or request.POST.get("grant_type") != "authorization_code":
        return _error("POST an authorization_code grant")
    if not _client_authenticated(request):
        return _error("client authentication failed", status=401)
    grant = provider.codes.pop(request.POST.get("code", ""), None)  # one use only
    if grant is None or grant["redirect_uri"] != request.POST.get("redirect_uri"):
        return _error("unknown code or another redirect_uri")
    if grant["challenge"]:
        verifier = request.POST.get("code_verifier", "")
        digest = hashlib.sha256(verifier.encode()).digest()
        if base64.urlsafe_b64encode(digest).rstrip(b"=").decode() != grant["challenge"]:
            return _error("PKCE verifier does not match")
    access_token = secrets.token_urlsafe(24)
    provider.tokens[access_token] = grant["claims"]
    return JsonResponse(
        {
            "access_token": access_token,
            "token_type": "Bearer",
            "expires_in": 300,
            "id_token": provider.id_token(grant["nonce"], grant["claims"]),
        }
    )


@login_not_required
def jwks(request: HttpRequest) -> HttpResponse:
    public = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(provider.key.public_key()))
    return JsonResponse({"keys": [{**public, "kid": KID, "alg": "RS256", "use": "sig"}]})


@login_not_required
def userinfo(request: HttpRequest) -> HttpResponse:
    header = request.headers.get("Authorization", "")
    claims = provider.tokens.get(header.removeprefix("Bearer "))
    if claims is None:
        return _error("unknown access token", status=401)
    return JsonResponse(claims)


urlpatterns = [
    path("authorize", authorize, name="test-oidc-authorize"),
    path("token", token, name="test-oidc-token"),
    path("jwks", jwks, name="test-oidc-jwks"),
    path("userinfo", userinfo, name="test-oidc-userinfo"),
]


class ProviderTransport:
    """Stands in for the `requests` module inside mozilla-django-oidc in test-client tests:
    its back-channel calls go to the provider's views above, in this process."""

    RequestException = requests.RequestException

    def __init__(self) -> None:
        self.client = Client()

    def _response(self, url: str, answer: Any) -> requests.Response:
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers.update({"content-type": answer.get("Content-Type", "")})
        response.url = url
        return response

    def get(self, url: str, headers: dict[str, str] | None = None, **kwargs: Any) -> Any:
        answer = self.client.get(urlsplit(url).path, headers=headers or {})
        return self._response(url, answer)

    def post(self, url: str, data: dict[str, Any], auth: Any = None, **kwargs: Any) -> Any:
        headers: dict[str, str] = {}
        if auth is not None:
            pair = f"{auth.username}:{auth.password}".encode()
            headers["Authorization"] = "Basic " + base64.b64encode(pair).decode()
        answer = self.client.post(urlsplit(url).path, data=data, headers=headers)
        return self._response(url, answer)
