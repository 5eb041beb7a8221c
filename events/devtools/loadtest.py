"""County-show load, with faults: the app under gunicorn (2 workers) on loopback, 200 officers
posting tallies with client references while two managers run export jobs (one db_worker
writes them), a gunicorn worker killed every 30 s, then a reconciliation of every acknowledged
reference against the database.

    DEBUG=1 manage.py loadtest --seconds 90            # scratch SQLite database
    DEBUG=1 manage.py loadtest --database-url postgres://postgres@127.0.0.1:5432/outreach_load

It builds its own scratch data in the database it is given (which must be empty or
disposable), talks only to 127.0.0.1, and stops by itself.
"""

import http.client
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

ROOT = Path(settings.BASE_DIR)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def server_times(log: Path) -> list[float]:
    """Seconds each acknowledged tally post took inside gunicorn (from its access log)."""
    times = []
    for line in log.read_text().splitlines():
        method, path, status, micros = line.split()
        if method == "POST" and path.endswith("/logs") and status in {"200", "201"}:
            times.append(int(micros) / 1_000_000)
    return times


def percentile(values, fraction):
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


class Command(BaseCommand):
    help = "Load and fault test on loopback: tallies from 200 officers, exports, killed workers."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=int, default=90)
        parser.add_argument("--officers", type=int, default=200)
        parser.add_argument(
            "--tap-interval",
            type=float,
            default=8.0,
            help="Seconds between one officer's taps (county-show rate)",
        )
        parser.add_argument("--kill-every", type=int, default=30)
        parser.add_argument("--database-url", default="")

    def handle(self, *args, seconds, officers, tap_interval, kill_every, database_url, **opts):
        if not settings.DEBUG:
            raise CommandError("loadtest builds scratch users with known tokens: DEBUG=1 only.")
        scratch = tempfile.mkdtemp(prefix="outreach-load-")
        url = database_url or f"sqlite:///{scratch}/load.sqlite3"
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "DEBUG": "",
            "SECRET_KEY": uuid.uuid4().hex * 2,
            "ALLOWED_HOSTS": "127.0.0.1",
            "SECURE_COOKIES": "0",
            # Plain HTTP on loopback, many simulated officers from one address.
            "SECURE_SSL_REDIRECT": "0",
            "API_THROTTLE_RATE": "",
            "API_TOKEN_THROTTLE_RATE": "",
            "DATA_DIR": scratch,
            "LOG_LEVEL": "WARNING",
            "STATIC_ROOT": f"{scratch}/static",
        }
        run = [sys.executable, "manage.py"]
        subprocess.run([*run, "migrate", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run([*run, "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=env, check=True)
        setup = subprocess.run(
            [*run, "shell", "-c", SETUP.format(officers=officers)],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        data = json.loads(setup.stdout.strip().splitlines()[-1])
        port = free_port()
        gunicorn = subprocess.Popen(
            [
                str(Path(sys.executable).with_name("gunicorn")),
                "-c",
                "python:outreach.gunicorn",
                "outreach.wsgi",
            ],
            cwd=ROOT,
            env={
                **env,
                "BIND": f"127.0.0.1:{port}",
                "WEB_CONCURRENCY": "2",
                "ACCESS_LOG": f"{scratch}/access.log",
                "ACCESS_LOG_FORMAT": "%(m)s %(U)s %(s)s %(D)s",
            },
        )
        # One background worker writes the managers' export jobs, as `make serve` runs it.
        worker = subprocess.Popen(
            [*run, "db_worker", "--no-reload", "--no-startup-delay", "--verbosity", "0"],
            cwd=ROOT,
            env=env,
        )
        try:
            self.wait_ready(port)
            result = self.drive(port, data, seconds, tap_interval, kill_every, gunicorn.pid)
        finally:
            gunicorn.send_signal(signal.SIGTERM)
            worker.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=30)
            worker.wait(timeout=60)
        check = subprocess.run(
            [*run, "shell", "-c", RECONCILE.format(event=data["event"])],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            text=True,
        )
        stored = json.loads(check.stdout.strip().splitlines()[-1])
        result["server"] = server_times(Path(scratch) / "access.log")
        self.report(result, stored, seconds)

    def wait_ready(self, port):
        for _ in range(100):
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", "/healthz")
                if conn.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise CommandError("gunicorn did not start")

    def drive(self, port, data, seconds, tap_interval, kill_every, master_pid):
        stop = time.monotonic() + seconds
        lock = threading.Lock()
        acked, latencies, exports = {}, [], []
        errors = {"tally": 0, "export": 0, "http": 0}

        def officer_loop(tokens):
            rng = random.Random(tokens[0])
            pending = []
            next_tap = {t: time.monotonic() + rng.uniform(0, tap_interval) for t in tokens}
            while time.monotonic() < stop or pending:
                if time.monotonic() > stop + 30:
                    break
                now = time.monotonic()
                for token in tokens:
                    if now >= next_tap[token] and now < stop:
                        pending.append((token, str(uuid.uuid4())))
                        next_tap[token] = now + rng.expovariate(1 / tap_interval)
                if not pending:
                    time.sleep(0.05)
                    continue
                token, ref = pending[0]
                body = json.dumps(
                    {
                        "visitors": 1,
                        "client_ref": ref,
                        "topics": [{"topic": rng.choice(data["topics"]), "count": 1}],
                    }
                )
                started = time.monotonic()
                # A connection per tap, as a phone on a show field makes: the only cut
                # connections are then the ones a killed worker was serving.
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                try:
                    conn.request(
                        "POST",
                        f"/api/events/{data['event']}/logs",
                        body,
                        {"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
                    )
                    response = conn.getresponse()
                    response.read()
                    status = response.status
                except (OSError, http.client.HTTPException):
                    status = None
                finally:
                    conn.close()
                elapsed = time.monotonic() - started
                with lock:
                    if status in (200, 201):
                        acked[ref] = acked.get(ref, 0) + 1
                        latencies.append(elapsed)
                        pending.pop(0)
                    elif status is None:
                        errors["tally"] += 1  # connection cut: kept and sent again, as a phone does
                    else:
                        errors["http"] += 1  # an answer that is not an acknowledgement
                if status not in (200, 201):
                    time.sleep(0.2)

        def call(method, path, token, body=None):
            """(status, parsed JSON or raw bytes), or (None, None) when the connection is cut."""
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
            try:
                conn.request(method, path, body=json.dumps(body) if body else None, headers=headers)
                response = conn.getresponse()
                content = response.read()
                kind = response.getheader("Content-Type", "")
                return response.status, json.loads(content) if "json" in kind else content
            except (OSError, http.client.HTTPException):
                return None, None
            finally:
                conn.close()

        def manager_loop(token):
            """A manager starts an export job, follows it every second, downloads the file."""
            while time.monotonic() < stop:
                started = time.monotonic()
                status, job = call("POST", "/api/exports", token, {"kind": "engagement.xlsx"})
                answered = time.monotonic() - started
                ok = status == 202
                while ok and job["status"] in ("queued", "running") and time.monotonic() < stop:
                    time.sleep(1)
                    status, polled = call("GET", f"/api/exports/{job['id']}", token)
                    if status == 200:
                        job = polled
                if ok and job["status"] == "done":
                    status, content = call("GET", job["download_url"], token)
                    ok = status == 200 and content[:2] == b"PK"
                elif ok:
                    ok = None  # still running when the test ended: neither done nor failed
                with lock:
                    if ok:
                        exports.append((answered, time.monotonic() - started))
                    elif ok is False:
                        errors["export"] += 1
                time.sleep(2)

        def killer():
            kills = 0
            while time.monotonic() + kill_every < stop:
                time.sleep(kill_every)
                children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text()
                children = children.split()
                if children:
                    os.kill(int(children[0]), signal.SIGKILL)
                    kills += 1
            killed.append(kills)

        killed: list[int] = []
        tokens = data["officer_tokens"]
        groups = [tokens[i::40] for i in range(40)]
        threads = [threading.Thread(target=officer_loop, args=(g,)) for g in groups if g]
        threads += [
            threading.Thread(target=manager_loop, args=(t,)) for t in data["manager_tokens"]
        ]
        threads.append(threading.Thread(target=killer))
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        return {
            "acked": acked,
            "latencies": latencies,
            "errors": errors,
            "exports": exports,
            "killed": killed[0] if killed else 0,
            "elapsed": time.monotonic() - began,
        }

    def report(self, result, stored, seconds):
        acked, lat, srv = result["acked"], result["latencies"], result["server"]
        refs = stored["refs"]
        missing = [ref for ref in acked if refs.get(ref, 0) != 1]
        doubled = [ref for ref, n in refs.items() if n > 1]
        unacked_stored = [ref for ref in refs if ref not in acked]
        self.stdout.write(
            "\n".join(
                [
                    f"Load test: {seconds} s, workers killed: {result['killed']}",
                    f"tally posts acknowledged: {len(acked)} "
                    f"({len(acked) / result['elapsed']:.1f}/s); sent again after a cut "
                    f"connection (killed worker): {result['errors']['tally']}; error answers: "
                    f"{result['errors']['http']}",
                    f"tally latency at the client, ms: p50 {percentile(lat, 0.5) * 1000:.0f}  "
                    f"p95 {percentile(lat, 0.95) * 1000:.0f}  "
                    f"p99 {percentile(lat, 0.99) * 1000:.0f}",
                    f"tally time in the server, ms: p50 {percentile(srv, 0.5) * 1000:.0f}  "
                    f"p95 {percentile(srv, 0.95) * 1000:.0f}  "
                    f"p99 {percentile(srv, 0.99) * 1000:.0f}",
                    f"export jobs: {len(result['exports'])} downloaded, "
                    f"{result['errors']['export']} failed; starting one answered in a median "
                    f"{statistics.median([a for a, _ in result['exports']] or [0]) * 1000:.0f} ms; "
                    f"request to file downloaded, median "
                    f"{statistics.median([t for _, t in result['exports']] or [0]):.2f} s",
                    f"reconciliation: stored {sum(refs.values())} rows for {len(refs)} references; "
                    f"acknowledged but not stored once: {len(missing)}; doubled: {len(doubled)}; "
                    f"stored but never acknowledged: {len(unacked_stored)}",
                ]
            )
        )
        if missing or doubled:
            raise CommandError("Reconciliation failed: entries lost or doubled.")


SETUP = """
import json
from django.contrib.auth.models import Group, User
from django.utils import timezone
import datetime as dt
from events.models import Event, Officer, Assignment, Topic
from events.api.auth import token_issue
now = timezone.now()
event = Event.objects.create(title="County show (load test)", status="confirmed",
    starts_at=now - dt.timedelta(hours=2), ends_at=now + dt.timedelta(hours=8))
officer_group = Group.objects.get(name="Officer")
tokens = []
for n in range({officers}):
    user = User.objects.create(username=f"load-officer-{{n}}")
    user.groups.add(officer_group)
    officer = Officer.objects.create(
        user=user, name=f"Load officer {{n}}", shoulder_number=f"L{{n:04d}}")
    Assignment.objects.create(
        event=event, officer=officer, starts_at=event.starts_at, ends_at=event.ends_at)
    tokens.append(token_issue(user)[0])
managers = []
for n in range(2):
    user = User.objects.create(username=f"load-manager-{{n}}")
    user.groups.add(Group.objects.get(name="Manager"))
    managers.append(token_issue(user)[0])
print(json.dumps({{"event": event.pk, "officer_tokens": tokens, "manager_tokens": managers,
                  "topics": list(Topic.objects.values_list("slug", flat=True))}}))
"""

RECONCILE = """
import json
from collections import Counter
from events.models import EngagementLog
logs = EngagementLog.objects.filter(event_id={event})
refs = Counter(str(ref) for ref in logs.values_list("client_ref", flat=True))
print(json.dumps({{"refs": refs}}))
"""
