import pytest
from django.urls import reverse

from programmes.assignments.parts import answer_parts
from tests.conftest import client_for, tus_send


class AnswerForm:
    """The participant's answer form for the world's first assignment."""

    def __init__(self, world, membership=None):
        self.world = world
        self.membership = membership or world.participant
        self.client = client_for(self.membership.user)
        self.parts = {p.kind: p for p in reversed(answer_parts(world.assignment))}
        self.save_url = reverse("answer_save", args=[world.cohort.slug, world.assignment.id])
        self.page_url = reverse("cohort_assignment", args=[world.cohort.slug, world.assignment.id])
        self.upload_url = reverse(
            "answer_file_upload", args=[world.cohort.slug, world.assignment.id]
        )

    def field(self, kind):
        return f"part-{self.parts[kind].id}"

    def autosave(self, version, text, **extra):
        return self.client.post(
            self.save_url,
            {"version": version, self.field("text"): text, **extra},
            HTTP_ACCEPT="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        )

    def post(self, version, text, submit=False, files=None, **extra):
        """Save draft, or Submit (submit=True)."""
        data = {"version": version, self.field("text"): text, **extra}
        if submit:
            data["submit_answer"] = "true"
        if files:
            data[f"files-{self.parts['photos'].id}"] = files
        return self.client.post(self.save_url, data, HTTP_ACCEPT_LANGUAGE="en", follow=True)

    def upload(self, upload, client_key="key-1", part="photos"):
        """As the page: the file goes over tus, then joins its part. A refusal on the way
        (the file's first bytes) is the reply."""
        upload.seek(0)
        sent = tus_send(self.client, upload.name, upload.read())
        if not hasattr(sent, "upload_id"):
            return sent
        return self.join(sent.upload_id, client_key, part)

    @staticmethod
    def refusal(response) -> str:
        """The reason the page shows for a refused file: plain text while it was being sent
        (tus), JSON when it joined the answer."""
        assert response.status_code in (400, 413, 415), response.status_code
        if response["Content-Type"].startswith("text/plain"):
            return response.content.decode()
        return response.json()["error"]

    def join(self, upload_id, client_key="key-1", part="photos"):
        return self.client.post(
            self.upload_url,
            {"part": self.parts[part].id, "upload": upload_id, "client_key": client_key},
            HTTP_ACCEPT="application/json",
            HTTP_ACCEPT_LANGUAGE="en",
        )


@pytest.fixture
def form(world):
    return AnswerForm(world)
