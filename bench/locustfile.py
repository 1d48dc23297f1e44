"""A training day as Locust plays it: each simulated user is one participant's phone.

Run by bench/load.py, which seeds the database, starts the servers and writes the plan this
file reads (POLKU_LOAD_PLAN: each phone's session cookies and the paths of its cohort's day).
Every request is named by its kind, so Locust's statistics are per kind; each task carries a
tag of the same name, so bench/load.py can run one kind alone to measure its CPU cost.

The mix is what a phone does on a training day, 1-3 s between taps: the live page's poll of
the room every few seconds (a 304 while nothing changed; a changed room makes the page fetch
itself again, as static/live.js does), live answers to an open words question and a poll,
autosaves while an in-between assignment is typed, now and then a photo, the path, the day's
page and the small group's feed."""

import json
import os
import random
import re
from itertools import count
from urllib.parse import urlencode

from locust import between, events, tag, task
from locust.contrib.fasthttp import FastHttpUser

from bench.run import _photo, multipart

PLAN = json.loads(open(os.environ["POLKU_LOAD_PLAN"]).read())  # noqa: SIM115
PHOTO = _photo(0)
WORDS = ["kahvi", "valmentaja", "tiimi", "onnistuminen", "palaute", "luottamus", "kuuntelu"]
PHONES = count()
ANSWERED: dict[str, set[int]] = {"words": set(), "poll": set()}  # phones answered


class Phone(FastHttpUser):
    wait_time = between(1, 3)

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
        self.assignment()

    @tag("autosave")
    @task(1)
    def assignment(self):
        """The assignment's page, where the draft's version comes from (static/answer)."""
        response = self._get(self.me["assignment"], "assignment")
        found = re.search(r'name="version" value="(\d+)"', response.text or "")
        if found:
            self.version = int(found.group(1))

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

    @tag("path")
    @task(3)
    def path(self):
        self._get(self.me["path"], "my path")

    @tag("day")
    @task(2)
    def day(self):
        self._get(self.me["day"], "training day")

    @tag("live_poll")
    @task(8)
    def live_poll(self):
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

    @tag("live_answer")
    @task(2)
    def live_answer(self):
        """A words question's answer, sent as the live page's form (a redirect back to it)."""
        value = {"value": random.choice(WORDS)}
        if self._post(
            self.me["answer_words"],
            "live answer",
            referer=self.me["live"],
            expect=302,
            fields=value,
        ):
            ANSWERED["words"].add(self.number)

    @tag("live_vote")
    @task(1)
    def live_vote(self):
        value = {"value": random.choice(PLAN["choices"])}
        if self._post(
            self.me["answer_poll"], "live vote", referer=self.me["live"], expect=302, fields=value
        ):
            ANSWERED["poll"].add(self.number)

    @tag("autosave")
    @task(6)
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

    @tag("photo")
    @task(1)
    def photo(self):
        """A photo to the assignment (static/answer/uploads.js), three at most per phone."""
        if self.photos >= 3:
            return
        self.photos += 1
        form = multipart(
            {
                "csrfmiddlewaretoken": self.me["cookies"]["csrftoken"],
                "part": self.me["photo_part"],
                "client_key": f"load-{self.number}-{self.photos}",
            },
            {"file": (f"photo{self.photos}.jpg", PHOTO)},
        )
        self._post(
            self.me["upload"],
            "photo upload",
            referer=self.me["assignment"],
            expect=201,
            form=form,
            accept="application/json",
        )

    @tag("feed")
    @task(2)
    def feed(self):
        self._get(self.me["feed"], "group feed")


@events.quitting.add_listener
def _answered(environment, **_kwargs):
    """Which phones had an answer accepted, for bench/load.py to compare with what is stored."""
    path = os.environ.get("POLKU_LOAD_ANSWERED")
    if path:
        with open(path, "w") as out:
            json.dump({kind: sorted(numbers) for kind, numbers in ANSWERED.items()}, out)
