"""intake against a real PostgreSQL migrated by Alembic; tokens signed with a test RSA key.

HTTP tests drive the app through httpx's ASGITransport without its lifespan: nothing is
published (staged events stay in the outbox, where tests read them). The Kafka round trips
in integration/ start the runtime on the session's broker.
"""

import functools
import io
import random
import time
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace

import httpx
import jwt
import numpy as np
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from PIL import Image, ImageDraw, ImageEnhance, ImageFilter, ImageFont

from devstack.databases import cloned_database
from eventing.parts import SESSIONS
from intake.app import Intake, compose
from intake.config import IntakeSettings

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="session")
def signing_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def public_key_pem(signing_key) -> str:
    return (
        signing_key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


@pytest.fixture(scope="session")
def token(signing_key):
    """token(employer="0123456789", user="alice", roles=("requester",)) → bearer headers."""

    def make(
        employer: str | None = None, *, user: str = "hr-1", roles=("requester",), mandates=None
    ) -> dict:
        now = int(time.time())
        claims = {
            "iss": "idpro-dev-idp",
            "aud": "idpro",
            "sub": user,
            "name": user.title(),
            "roles": list(roles),
            "iat": now,
            "exp": now + 3600,
        }
        if employer:
            claims["employer_id"] = employer
        if mandates is not None:
            claims["mandates"] = list(mandates)
        return {"Authorization": f"Bearer {jwt.encode(claims, signing_key, algorithm='RS256')}"}

    return make


def new_employer_id() -> str:
    return f"0{random.randint(100_000_000, 999_999_999)}"


DOCUMENT = {"type": "passport", "issuing_country": "PL"}
PERSON = {
    "surnames": "Kowalska",
    "given_names": "Anna",
    "sex": "female",
    "birth_date": "1990-04-02",
    "birth_place": "Kraków",
    "birth_country": "PL",
    "nationality": "PL",
    "document_number": "EA1234567",
    "document_expiry_date": "2034-05-01",
}
ADDRESS = {
    "residence": {
        "street": "ul. Długa",
        "number": "5",
        "postal_code": "31-147",
        "city": "Kraków",
        "country": "PL",
    }
}
SUBMIT = {"notification_email": "hr@example.be", "language": "fr"}


class Tenant:
    """One employer's side of the API: a fresh employer id, so tests never see each other."""

    def __init__(
        self, client: httpx.AsyncClient, headers: dict[str, str], employer_id: str
    ) -> None:
        self.client, self.headers, self.employer_id = client, headers, employer_id

    async def call(self, method: str, path: str, **kwargs) -> httpx.Response:
        headers = {**self.headers, **kwargs.pop("headers", {})}
        return await self.client.request(method, path, headers=headers, **kwargs)

    async def new_draft(self) -> str:
        response = await self.call("POST", "/drafts")
        assert response.status_code == 201, response.text
        return response.json()["id"]

    async def upload(
        self,
        draft_id: str,
        data: bytes,
        *,
        filename: str = "scan.jpg",
        content_type: str = "image/jpeg",
        **kwargs,
    ) -> httpx.Response:
        return await self.call(
            "POST",
            f"/drafts/{draft_id}/pages",
            files={"file": (filename, data, content_type)},
            **kwargs,
        )

    async def filled_draft(
        self, *, person: dict | None = None, address: dict | None = None, scan: bytes | None = None
    ) -> str:
        """A draft with every step saved and one page uploaded."""
        draft_id = await self.new_draft()
        for step, body in (
            ("document", DOCUMENT),
            ("person", person or PERSON),
            ("address", address or ADDRESS),
        ):
            response = await self.call("PUT", f"/drafts/{draft_id}/{step}", json=body)
            assert response.status_code == 200, response.text
        uploaded = await self.upload(draft_id, scan or sharp_scan())
        assert uploaded.status_code == 201, uploaded.text
        return draft_id

    async def submit(
        self, draft_id: str, body: dict | None = None, *, key: str | None = None
    ) -> httpx.Response:
        return await self.call(
            "POST",
            f"/drafts/{draft_id}/submit",
            json=SUBMIT if body is None else body,
            headers={"Idempotency-Key": key or str(uuid.uuid4())},
        )


@pytest.fixture
def tenant(client, token) -> Tenant:
    employer_id = new_employer_id()
    return Tenant(client, token(employer_id), employer_id)


@pytest.fixture
def colleague(client, token, tenant) -> Tenant:
    """Another requester of the same employer."""
    return Tenant(client, token(tenant.employer_id, user="hr-2"), tenant.employer_id)


@pytest.fixture
def admin(client, token, tenant) -> Tenant:
    """An admin of the same employer."""
    headers = token(tenant.employer_id, user="hr-admin", roles=("admin",))
    return Tenant(client, headers, tenant.employer_id)


@pytest.fixture
def other_tenant(client, token) -> Tenant:
    employer_id = new_employer_id()
    return Tenant(client, token(employer_id, user="hr-other"), employer_id)


@pytest.fixture(scope="module")
async def database_url(postgres_admin_url: str, service_template) -> AsyncIterator[str]:
    template = service_template("intake")
    async with cloned_database(postgres_admin_url, template, prefix="intake_test") as url:
        yield url


class Clock:
    """Now, or later: tests move it forward."""

    def __init__(self) -> None:
        self.offset = timedelta()

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, **delta: float) -> None:
        self.offset += timedelta(**delta)


@pytest.fixture(scope="module")
def clock() -> Clock:
    return Clock()


@pytest.fixture(scope="module")
def settings(database_url: str, public_key_pem: str):
    def make(**overrides) -> IntakeSettings:
        return IntakeSettings(database_url=database_url, jwt_public_key=public_key_pem, **overrides)

    return make


@pytest.fixture(scope="module")
async def intake(settings, clock) -> AsyncIterator[Intake]:
    """intake's parts, its app not started (no lifespan: no Kafka, no workers)."""
    parts = compose(settings(), clock=clock)
    yield parts
    await parts.messaging.producer.stop()  # never started
    await parts.database.close()


@pytest.fixture(scope="module")
def app(intake: Intake):
    return intake.app


@pytest.fixture(scope="module")
async def client(app) -> AsyncIterator[httpx.AsyncClient]:
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app), base_url="http://intake"
    ) as http:
        yield http


# ---- scans ------------------------------------------------------------------------------------


def _font(size: int) -> ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def card(size=(1011, 638)) -> Image.Image:
    """An ID-1 card at 300 dpi: data lines and an MRZ on light paper."""
    image = Image.new("RGB", size, (236, 232, 222))
    draw = ImageDraw.Draw(image)
    for i in range(7):
        draw.text(
            (330, 110 + i * 40),
            f"SPECIMEN LINE {i} 0{i}.0{i + 1}",
            font=_font(22),
            fill=(30, 30, 40),
        )
    for i, line in enumerate(
        [
            "IDBEL590330101<<<<<<<<<<<<<<<",
            "8502142F3104301BEL<<<<<<<<<<6",
            "SPECIMEN<<ANNA<MARIA<<<<<<<<<",
        ]
    ):
        draw.text((40, 462 + i * 52), line, font=_font(30), fill=(20, 20, 20))
    draw.rectangle([80, 120, 260, 440], fill=(120, 100, 90))
    return image


def jpeg(image: Image.Image, *, noise: float = 3.0, **options) -> bytes:
    """As a camera delivers it: sensor noise, then JPEG."""
    pixels = np.asarray(image, dtype=np.float32)
    pixels = pixels + np.random.default_rng(1).normal(0, noise, pixels.shape)
    buffer = io.BytesIO()
    Image.fromarray(np.clip(pixels, 0, 255).astype(np.uint8)).save(
        buffer, "JPEG", quality=85, **options
    )
    return buffer.getvalue()


def pdf(pages: int = 2) -> bytes:
    images = [card() for _ in range(pages)]
    buffer = io.BytesIO()
    images[0].save(buffer, "PDF", save_all=True, append_images=images[1:], resolution=300)
    return buffer.getvalue()


@functools.cache
def sharp_scan() -> bytes:
    return jpeg(card())


@pytest.fixture(scope="session")
def scans() -> SimpleNamespace:
    return SimpleNamespace(
        card=card,
        jpeg=jpeg,
        pdf=pdf,
        sharp=sharp_scan,
        blurred=lambda: jpeg(card().filter(ImageFilter.GaussianBlur(4))),
        dark=lambda: jpeg(ImageEnhance.Brightness(card()).enhance(0.15)),
    )


@pytest.fixture(scope="session")
def samples() -> SimpleNamespace:
    """Valid bodies of each step (copy before changing)."""
    return SimpleNamespace(document=DOCUMENT, person=PERSON, address=ADDRESS, submit=SUBMIT)


@pytest.fixture
def staged(app):
    """staged(EventType, request_id) → the events of that type waiting in the outbox."""
    from sqlalchemy import select

    from intake.tables import outbox_messages

    async def read(event_type, request_id) -> list:
        async with SESSIONS.of(app)() as tx:
            payloads = await tx.scalars(
                select(outbox_messages.c.payload)
                .where(
                    outbox_messages.c.topic == event_type.topic,
                    outbox_messages.c.key == str(request_id),
                )
                .order_by(outbox_messages.c.id)
            )
            return [event_type.model_validate(p) for p in payloads]

    return read
