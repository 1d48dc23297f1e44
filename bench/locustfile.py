"""A training day as Locust plays it: each simulated user is one participant's phone.

Run by bench/load.py, which seeds the database, starts the servers and writes the plan this
file reads (POLKU_LOAD_PLAN: each phone's session cookies and the paths of its cohort's day).
Every request is named by its kind, so Locust's statistics are per kind.

A phone goes from one activity to the next, as a person on a training day does:

- live questions (half of the time): the live page, then its poll of the room every 1.5 s
  as static/live.js does (304 while nothing changed; a changed room makes the page fetch
  itself again), an answer to the open words question and a vote, 1-3 s to think each, sent
  by the page's script (the answered card comes back, the page stays);
- typing an in-between assignment (three in ten): the assignment's page, then an autosave
  every 1-3 s while typing (static/answer/autosave.js saves after 1.2 s without a key), and
  now and then a photo;
- looking around (two in ten): my path, the training day's page, the small group's feed,
  1-3 s apart.

POLKU_LOAD_ONLY=<kind> makes every phone repeat one kind of request, 1-3 s apart: bench/load.py
measures the CPU each kind costs that way."""

import json
import os
import random
import re
import time
from itertools import count
from urllib.parse import urlencode

from locust import constant, events, task
from locust.contrib.fasthttp import FastHttpUser

from bench.run import _photo

PLAN = json.loads(open(os.environ["POLKU_LOAD_PLAN"]).read())  # noqa: SIM115
ONLY = os.environ.get("POLKU_LOAD_ONLY", "")
PHOTO = _photo(0)
WORDS = ["kahvi", "valmentaja", "tiimi", "onnistuminen", "palaute", "luottamus", "kuuntelu"]
POLL_SECONDS = 1.5  # static/live.js
PHONES = count()
ANSWERED: dict[str, set[int]] = {"words": set(), "poll": set()}  # phones answered


def think():
    time.sleep(random.uniform(1, 3))  # gevent's sleep: Locust patches the standard library


class Phone(FastHttpUser):
    wait_time = constant(0)  # each activity keeps its own rhythm

    def on_start(self):
        self.number = next(PHONES) % len(PLAN["phones"])
        self.me = PLAN["phones"][self.number]
        self.headers = {
            "Cookie": "; ".join(f"{k}={v}" for k, v in self.me["cookies"].items()),
            "Accept-Language": "fi",
        }
        self.etag = ""
        self.photos = 0
        self.typed = ""
        self.version = 0
        if ONLY == "autosave":
            self.assignment()  # where the draft's version comes from
        if ONLY == "live_poll":
            self.live_page()  # where the room's version comes from

    @task
    def training_day(self):
        if ONLY:
            getattr(self, ONLY)()
            think()
            return
        activity = random.choices([self.live, self.typing, self.looking], weights=[5, 3, 2])[0]
        activity()

    # Activities

    def live(self):
        self.live_page()
        answers = [self.live_answer, self.live_vote]
        until = time.monotonic() + random.uniform(20, 40)
        next_answer = time.monotonic() + random.uniform(1, 3)
        while time.monotonic() < until:
            time.sleep(POLL_SECONDS)
            self.live_poll()
            if answers and time.monotonic() >= next_answer:
                answers.pop(0)()
                next_answer = time.monotonic() + random.uniform(1, 3)

    def typing(self):
        self.assignment()
        for _ in range(random.randint(3, 8)):
            think()
            self.autosave()
        if random.random() < 0.3:
            think()
            self.photo()

    def looking(self):
        for request in (self.path, self.day, self.feed):
            request()
            think()

    # Requests, each named by its kind

    def _get(self, path, name):
        return self.client.get(path, name=name, headers=self.headers)

    def _post(self, path, name, *, referer, expect, fields=None, form=None, accept=""):
        """A form POST as the page sends it; `form` is (Content-Type, body) for a multipart one.
        Returns the response when it has the status expected, else counts a failure."""
        content_type, body = form or (
            "application/x-www-form-urlencoded",
            urlencode({"csrfmiddlewaretoken": self.me["cookies"]["csrftoken"], **fields}),
        )
        headers = {**self.headers, "Content-Type": content_type, "Referer": self.host + referer}
        if accept:
            headers["Accept"] = accept
        with self.client.post(
            path, name=name, data=body, headers=headers, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != expect:
                response.failure(f"HTTP {response.status_code}")
                return None
            return response

    def path(self):
        self._get(self.me["path"], "my path")

    def day(self):
        self._get(self.me["day"], "training day")

    def feed(self):
        self._get(self.me["feed"], "group feed")

    def live_page(self):
        response = self._get(self.me["live"], "live page")
        found = re.search(r"data-etag='([^']*)'", response.text or "")
        self.etag = found.group(1) if found else ""

    def live_poll(self):
        """static/live.js: a conditional GET; a changed room makes the page fetch itself."""
        with self.client.get(
            self.me["room"],
            name="live poll",
            headers={"If-None-Match": self.etag},
            catch_response=True,
        ) as response:
            if response.status_code == 304:
                response.success()
                return
            if response.status_code != 200:
                response.failure(f"HTTP {response.status_code}")
                return
        etag = response.headers.get("ETag", "")
        if etag != self.etag:
            self._get(self.me["live"], "live page")
            self.etag = etag

    def _live_send(self, kind, value):
        """An answer as static/live.js sends it: the answered card comes back."""
        path, name = {
            "words": ("answer_words", "live answer"),
            "poll": ("answer_poll", "live vote"),
        }[kind]
        if self._post(
            self.me[path],
            name,
            referer=self.me["live"],
            expect=200,
            fields={"value": value},
            accept="application/json",
        ):
            ANSWERED[kind].add(self.number)

    def live_answer(self):
        self._live_send("words", random.choice(WORDS))

    def live_vote(self):
        self._live_send("poll", random.choice(PLAN["choices"]))

    def assignment(self):
        """The assignment's page, where the draft's version comes from (static/answer)."""
        response = self._get(self.me["assignment"], "assignment")
        found = re.search(r'name="version" value="(\d+)"', response.text or "")
        if found:
            self.version = int(found.group(1))

    def autosave(self):
        """static/answer/autosave.js: the draft with the version it was based on."""
        self.typed += random.choice(WORDS) + " "
        fields = {"version": self.version, f"part-{self.me['text_part']}": self.typed[-2000:]}
        response = self._post(
            self.me["save"],
            "autosave",
            referer=self.me["assignment"],
            expect=200,
            fields=fields,
            accept="application/json",
        )
        if response:
            self.version = response.json()["version"]

    def photo(self):
        """A photo to the assignment as static/answer/uploads.js sends it, three at most per
        phone: over tus (create, one piece: a photo is smaller than a piece), then joined to
        its part of the answer."""
        if self.photos >= 3:
            return
        self.photos += 1
        tus = {
            **self.headers,
            "Tus-Resumable": "1.0.0",
            "X-CSRFToken": self.me["cookies"]["csrftoken"],
            "Referer": self.host + self.me["assignment"],
        }
        with self.client.post(
            "/uploads/",
            name="photo upload",  # each of its three requests
            headers={**tus, "Upload-Length": str(len(PHOTO))},
            catch_response=True,
        ) as created:
            if created.status_code != 201:
                created.failure(f"HTTP {created.status_code}")
                return
        location = created.headers["Location"]
        with self.client.patch(
            location,
            name="photo upload",
            data=PHOTO,
            headers={
                **tus,
                "Upload-Offset": "0",
                "Content-Type": "application/offset+octet-stream",
            },
            catch_response=True,
        ) as sent:
            if sent.status_code != 204:
                sent.failure(f"HTTP {sent.status_code}")
                return
        self._post(
            self.me["upload"],
            "photo upload",
            referer=self.me["assignment"],
            expect=201,
            fields={
                "part": self.me["photo_part"],
                "client_key": f"load-{self.number}-{self.photos}-{time.monotonic_ns()}",
                "upload": location.rstrip("/").rsplit("/", 1)[-1],
            },
            accept="application/json",
        )


@events.quitting.add_listener
def _answered(environment, **_kwargs):
    """Which phones had an answer accepted, for bench/load.py to compare with what is stored."""
    path = os.environ.get("POLKU_LOAD_ANSWERED")
    if path:
        with open(path, "w") as out:
            json.dump({kind: sorted(numbers) for kind, numbers in ANSWERED.items()}, out)
