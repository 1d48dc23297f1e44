"""How fast the worker makes videos playable: seconds of video per second of CPU.

    .venv/bin/python bench/video.py                        # a 60 s phone video, 1080p, twice
    .venv/bin/python bench/video.py --seconds 3 --runs 1   # what CI runs

FFmpeg makes a phone-like recording (1920x1080 at 30 frames a second with sound, turned on its
side, with where it was shot); polku.uploads.video probes it and makes the web copy and the
poster as the worker does. The CPU is ffmpeg's own (the children's), read from getrusage, so
the figure is the same whether the machine is busy or not, as long as it is the same machine.
"""

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def _phone_video(folder: Path, seconds: int) -> Path:
    plain, video = folder / "plain.mov", folder / "IMG_0001.MOV"
    subprocess.run(
        [
            *("ffmpeg", "-v", "error", "-y"),
            *("-f", "lavfi", "-i", f"testsrc2=size=1920x1080:rate=30:duration={seconds}"),
            *("-f", "lavfi", "-i", f"sine=frequency=440:duration={seconds}"),
            *("-c:v", "libx264", "-preset", "ultrafast", "-b:v", "12M", "-c:a", "aac"),
            *("-metadata", "location=+60.1699+024.9384/"),
            str(plain),
        ],
        check=True,
    )
    subprocess.run(
        [
            *("ffmpeg", "-v", "error", "-y", "-i", str(plain), "-c", "copy"),
            *("-metadata:s:v:0", "rotate=90", str(video)),
        ],
        check=True,
    )
    return video


def main():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=60, help="length of the test video")
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "polku.settings.production")
    os.environ.setdefault("SECRET_KEY", "bench-only")
    os.environ.setdefault("ALLOWED_HOSTS", "localhost")
    os.environ.setdefault("DATABASE_URL", "sqlite:////tmp/polku-bench-video.sqlite3")
    import django

    django.setup()
    from polku.uploads.video import video_probe, video_render

    with tempfile.TemporaryDirectory(prefix="polku-bench-video-") as name:
        folder = Path(name)
        source = _phone_video(folder, args.seconds)
        size_mb = source.stat().st_size / 1e6
        rates, walls = [], []
        for run in range(args.runs):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            probe = video_probe(source)
            video_render(source, folder / f"web{run}.mp4", folder / f"poster{run}.jpg", probe)
            wall = time.perf_counter() - started
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
            rates.append(probe.seconds / cpu)
            walls.append(probe.seconds / wall)
        web_mb = (folder / "web0.mp4").stat().st_size / 1e6
        print(
            f"video processing: a {probe.seconds:.0f} s phone video ({size_mb:.1f} MB, 1920x1080 "
            f"turned upright to {probe.width}x{probe.height}) -> web copy {web_mb:.1f} MB at most "
            "720p, and a poster"
        )
        print(
            f"{statistics.median(rates):.2f} s of video per CPU second (ffmpeg's own), "
            f"{statistics.median(walls):.2f} s of video per second of wall time on "
            f"{os.cpu_count()} cores; {args.runs} runs"
        )


if __name__ == "__main__":
    main()
