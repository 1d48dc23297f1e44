"""Video: what a file holds, decided by ffprobe, and a web-playable copy made by ffmpeg.

Debian's `ffmpeg` and `ffprobe` run as subprocesses, not PyAV: a damaged or hostile file can
crash or bloat a decoder, and in a child process that costs the child, never the Celery
worker (which stays under its memory limit however large the video); a timeout kills it
cleanly; and Debian's build carries libx264, which PyAV's wheels do not promise.

The copy is H.264/AAC in MP4 with its index first (it plays while it loads), its short side at
most 720 pixels, turned upright (a phone's rotation flag applied, then dropped) and without
the original's metadata: a phone's video carries where it was shot."""

import ctypes
import json
import os
import shutil
import signal
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .validation import UploadRefused

PROBE_SECONDS = 30  # reading a file's headers, even a 1 GB one, takes well under this


@dataclass(frozen=True)
class VideoProbe:
    seconds: float
    width: int  # as shown: a phone's rotation applied; 0 for sound only
    height: int
    has_audio: bool

    @property
    def is_audio(self) -> bool:
        return not self.width


def ffmpeg_available() -> bool:
    return bool(shutil.which("ffmpeg") and shutil.which("ffprobe"))


def _program(name: str) -> str:
    """The full path of ffmpeg or ffprobe; a server without them is misconfigured (the README
    and the Dockerfile install Debian's ffmpeg)."""
    found = shutil.which(name)
    if found is None:
        raise RuntimeError(f"{name} is not installed: apt-get install ffmpeg")
    return found


def _rotation(stream: dict) -> int:
    for side_data in stream.get("side_data_list", []):
        if "rotation" in side_data:
            return int(side_data["rotation"])
    return int(stream.get("tags", {}).get("rotate", 0))


def video_probe(path: Path, sound_only: bool = False) -> VideoProbe:
    """What the file is, or UploadRefused with the reason in the person's language: not a
    video at all, no picture, too long, too many pixels."""
    try:
        result = subprocess.run(  # noqa: S603 - a fixed program, the path is ours
            [
                _program("ffprobe"),
                "-v",
                "error",
                "-print_format",
                "json",
                "-show_streams",
                "-show_format",
                str(path),
            ],
            capture_output=True,
            timeout=PROBE_SECONDS,
            check=False,
        )
        found = json.loads(result.stdout or b"{}")
    except (subprocess.TimeoutExpired, ValueError):
        found = {}
    streams = found.get("streams", [])
    video = next(
        (
            s
            for s in streams
            if s.get("codec_type") == "video"
            and not s.get("disposition", {}).get("attached_pic")  # a cover picture of a song
        ),
        None,
    )
    has_audio = any(s.get("codec_type") == "audio" for s in streams)
    if video is None and not (has_audio and sound_only):
        if has_audio:
            raise UploadRefused(_("This file has sound but no picture. Please send a video."))
        raise UploadRefused(_("This is not a video we can play, or it is damaged."))
    video = video or {}  # sound only (`sound_only`: a trainer's recording for materials)
    seconds = float(found.get("format", {}).get("duration") or video.get("duration") or 0)
    if seconds <= 0:
        raise UploadRefused(_("This is not a video we can play, or it is damaged."))
    if seconds > settings.POLKU_VIDEO_MAX_SECONDS:
        minutes = settings.POLKU_VIDEO_MAX_SECONDS // 60
        raise UploadRefused(
            ngettext(
                "The video is too long: at most %(minutes)s minute.",
                "The video is too long: at most %(minutes)s minutes.",
                minutes,
            )
            % {"minutes": minutes}
        )
    width, height = int(video.get("width", 0)), int(video.get("height", 0))
    if not video:
        return VideoProbe(seconds=seconds, width=0, height=0, has_audio=True)
    if not width or not height or width * height > settings.POLKU_VIDEO_MAX_PIXELS:
        raise UploadRefused(_("This video's picture is too large. Please send a smaller one."))
    if _rotation(video) % 180:
        width, height = height, width
    return VideoProbe(seconds=seconds, width=width, height=height, has_audio=has_audio)


class VideoFailed(Exception):
    """ffmpeg could not make a playable copy (the file is damaged past its headers)."""


# The short side at most 720 (a portrait video stays portrait), both sides even for H.264.
SCALE = "scale='if(gte(iw,ih),-2,min(720,iw))':'if(gte(iw,ih),min(720,ih),-2)',format=yuv420p"


def video_render(
    source: Path, rendition: Path, poster: Path, probe: VideoProbe, alive=lambda: None
) -> None:
    """Writes the web copy and a poster (a JPEG of a frame a second in, from the copy, so it
    is upright and carries nothing of the original). Raises VideoFailed. `alive` is called
    every HEARTBEAT_SECONDS while ffmpeg works."""
    _ffmpeg(
        *("-i", str(source), "-map", "0:v:0", "-map", "0:a:0?"),
        *("-map_metadata", "-1", "-map_chapters", "-1", "-sn", "-dn", "-vf", SCALE),
        *("-c:v", "libx264", "-preset", "veryfast", "-crf", "23", "-c:a", "aac", "-b:a", "128k"),
        *("-movflags", "+faststart", "-fflags", "+bitexact", "-f", "mp4", str(rendition)),
        timeout=max(60.0, probe.seconds * settings.POLKU_VIDEO_SECONDS_PER_SECOND),
        alive=alive,
    )
    _ffmpeg(
        *("-ss", f"{min(1.0, probe.seconds / 2):.2f}", "-i", str(rendition)),
        *("-frames:v", "1", "-q:v", "4", "-f", "image2", str(poster)),
        timeout=60,
        alive=alive,
    )


def audio_render(source: Path, rendition: Path, probe: VideoProbe, alive=lambda: None) -> None:
    """Sound only: AAC in MP4 (.m4a), index first, without the original's metadata."""
    _ffmpeg(
        *("-i", str(source), "-map", "0:a:0", "-vn", "-map_metadata", "-1"),
        *("-c:a", "aac", "-b:a", "128k", "-movflags", "+faststart", "-f", "mp4", str(rendition)),
        timeout=max(60.0, probe.seconds),
        alive=alive,
    )


HEARTBEAT_SECONDS = 20


def _child_setup() -> None:
    """In the child, before ffmpeg starts. It yields the CPU to web requests and live
    summaries (niced: a video may take minutes, a request must not wait behind it). And
    (Linux) if the worker is killed, ffmpeg is too, rather than rendering on for nobody while
    the sweep starts the video again."""
    os.nice(RENDER_NICENESS)
    try:
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except OSError:
        pass  # not Linux: the render's time limit still stops it


RENDER_NICENESS = 10
PR_SET_PDEATHSIG = 1


def _ffmpeg(*arguments: str, timeout: float, alive=lambda: None) -> None:
    command = [_program("ffmpeg"), "-nostdin", "-v", "error", "-y", *arguments]
    deadline = time.monotonic() + timeout
    with (
        tempfile.TemporaryFile() as errors,
        subprocess.Popen(  # noqa: S603 - fixed program
            command,
            stdout=subprocess.DEVNULL,
            stderr=errors,
            preexec_fn=_child_setup,  # only nice and prctl run in the child: no lock taken
        ) as process,
    ):
        while True:
            try:
                process.wait(timeout=min(HEARTBEAT_SECONDS, max(0.0, deadline - time.monotonic())))
                break
            except subprocess.TimeoutExpired:
                if time.monotonic() >= deadline:
                    process.kill()
                    raise VideoFailed(f"{command[0]} ran over {timeout:.0f} s") from None
                alive()
        if process.returncode != 0:
            errors.seek(0)
            raise VideoFailed(errors.read().decode(errors="replace")[-2000:])
