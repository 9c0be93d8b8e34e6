#!/usr/bin/env python3
"""Writes access.log and status_codes.csv next to this file, deterministically.

The web-server log of the network-analysis lab (seed 004, section 9): an Apache access
log to parse with the lab's regex, plus the HTTP status-code table to join it with.
Python 3 standard library only; the same seed always gives byte-identical files
(README.md records their SHA-256).

    python3 datasets/weblog/generate.py            # rewrite both files, print a summary
    python3 datasets/weblog/generate.py --check    # only print the summary of the files

Log format: Apache "combined" plus %D, i.e. the LogFormat
    %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-Agent}i" %D
%t is when the server received the request (second resolution, +0000) and %D the
microseconds it took to serve it. Apache writes the line when the response is done, so
a line's arrival is %t + %D, and the file is in that order (ties: generation order).
That gives the log its two clocks: event time = %t, arrival = %t + %D.

Requests start between 28/Sep/2025:10:00:00 and 12:00:00 +0000: a steady stream of
visitors plus a scraper burst from 10:40 to 10:50 (429s and 503s). Clients use the
documentation address ranges (RFC 5737, RFC 3849) and the example.com domain.

Lines the lab's regex does not match (deliberately or because Apache really writes them):
  - size "-" (304, 204, HEAD: Apache's %b is "-" for an empty body),
  - request line "-" (408: the client opened a connection and sent nothing),
  - a TLS handshake sent to the plain-HTTP port (400, request line of \\x escapes),
  - ~1 % malformed lines: truncated lines, lines whose timestamp is not
    %d/%b/%Y:%H:%M:%S %z (the regex matches them; the timestamp parse fails), and
    stray non-log lines (error-log lines, binary noise, one empty line).
Code 429 is in the log but deliberately not in status_codes.csv, so the lab's
left-outer join leaves its description empty.
"""

import datetime as dt
import hashlib
import math
import random
import re
import sys
from collections import Counter
from pathlib import Path

SEED = 20250928
HERE = Path(__file__).resolve().parent
LOG = HERE / "access.log"
CODES = HERE / "status_codes.csv"

START = dt.datetime(2025, 9, 28, 10, 0, 0, tzinfo=dt.timezone.utc)
SPAN_S = 2 * 3600
BASE_RATE = 0.35  # requests per second from ordinary visitors
BURST = (40 * 60, 50 * 60, 1.2)  # scraper: from, to (s after START), requests per second

# The dimension table (code, description): RFC 9110 reason phrases. 429 is left out on purpose.
STATUS_TABLE = [
    (200, "OK"), (201, "Created"), (202, "Accepted"), (204, "No Content"),
    (206, "Partial Content"), (301, "Moved Permanently"), (302, "Found"),
    (304, "Not Modified"), (307, "Temporary Redirect"), (308, "Permanent Redirect"),
    (400, "Bad Request"), (401, "Unauthorized"), (403, "Forbidden"), (404, "Not Found"),
    (405, "Method Not Allowed"), (408, "Request Timeout"), (413, "Content Too Large"),
    (500, "Internal Server Error"), (502, "Bad Gateway"), (503, "Service Unavailable"),
    (504, "Gateway Timeout"),
]

# The lab's regex (seed 004, 9.3) and timestamp format (9.4), verbatim.
LAB_REGEX = re.compile(r'(\S+) (\S+) (\S+) \[(.*?)\] "(\S+) (\S+) (\S+)" (\d{3}) (\d+)')
LAB_TIME_FORMAT = "%d/%b/%Y:%H:%M:%S %z"

MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec".split()

UAS = [
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Safari/605.1.15",
    "Mozilla/5.0 (X11; Linux x86_64; rv:143.0) Gecko/20100101 Firefox/143.0",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.6 Mobile/15E148 Safari/604.1",
    "Mozilla/5.0 (Linux; Android 15; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Mobile Safari/537.36",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "curl/8.14.1",
    "python-requests/2.32.5",
]
UA_WEIGHTS = [30, 14, 10, 16, 12, 6, 6, 6]
SCRAPER_UA = "python-requests/2.32.5"

# (path template, weight, kind)
RESOURCES = [
    ("/", 10, "page"), ("/index.html", 4, "page"), ("/about", 2, "page"),
    ("/products", 5, "page"), ("/products/{id}", 10, "page"), ("/search?q={word}", 4, "page"),
    ("/api/v1/items?page={page}", 8, "api"), ("/api/v1/items/{id}", 5, "api"),
    ("/api/v1/ping", 3, "tiny"), ("/health", 2, "tiny"),
    ("/static/css/site.css", 6, "static"), ("/static/js/app.js", 6, "static"),
    ("/images/{img}.png", 8, "static"), ("/favicon.ico", 3, "static"), ("/robots.txt", 1, "static"),
    ("/login", 2, "login"), ("/admin", 1, "admin"),
    ("/downloads/dataset-{n}.tar.gz", 1, "download"),
    ("/old-page.html", 1, "moved"), ("/blog", 1, "moved"),
    ("/wp-login.php", 1, "probe"), ("/.env", 1, "probe"), ("/phpmyadmin/", 1, "probe"),
]
WORDS = ["spark", "kafka", "watermark", "delta", "window", "join", "trigger", "checkpoint"]
IMAGES = ["logo", "hero", "banner", "chart-1", "chart-2", "team", "product-a", "product-b"]


def ip_pool(rng, n):
    nets = ["192.0.2.", "198.51.100.", "203.0.113."]
    ips = set()
    while len(ips) < n:
        if rng.random() < 0.08:
            ips.add("2001:db8:%x::%x" % (rng.randrange(1, 0xFFFF), rng.randrange(1, 0xFFFF)))
        else:
            ips.add(rng.choice(nets) + str(rng.randrange(1, 255)))
    return sorted(ips)


def lognormal_us(rng, median_us, sigma):
    return max(50, int(rng.lognormvariate(math.log(median_us), sigma)))


def fill(rng, template):
    return template.format(
        id=rng.randrange(1, 500), word=rng.choice(WORDS), page=rng.randrange(1, 40),
        img=rng.choice(IMAGES), n=rng.randrange(1, 9))


def visitor_request(rng):
    """One ordinary request: (method, path, protocol, status, size or None, micros, kind)."""
    tmpl, _, kind = rng.choices(RESOURCES, weights=[r[1] for r in RESOURCES])[0]
    path = fill(rng, tmpl)
    proto = rng.choices(["HTTP/1.1", "HTTP/2.0", "HTTP/1.0"], weights=[70, 27, 3])[0]
    method = "GET"
    if kind == "api":
        method = rng.choices(["GET", "POST", "PUT", "DELETE"], weights=[80, 12, 4, 4])[0]
    elif kind == "login":
        method = rng.choice(["GET", "POST"])
    elif kind in ("page", "static") and rng.random() < 0.02:
        method = "HEAD"
    micros = lognormal_us(rng, 40_000, 0.9)
    size = None

    if kind == "static":
        micros = lognormal_us(rng, 2_000, 0.8)
        if rng.random() < 0.30:
            status = 304
        elif path == "/favicon.ico" and rng.random() < 0.5:
            status, size = 404, 196
        else:
            status = 200
            size = {"/static/css/site.css": 18_432, "/static/js/app.js": 96_118,
                    "/favicon.ico": 1_150, "/robots.txt": 67}.get(path, rng.randrange(4_000, 250_000))
    elif kind == "page":
        r = rng.random()
        if r < 0.05:
            status, size = 404, 196
        elif r < 0.10:
            status = 304
        else:
            status, size = 200, rng.randrange(3_000, 40_000)
        if rng.random() < 0.02:  # a slow database query
            micros = rng.randrange(1_000_000, 15_000_000)
    elif kind == "api":
        if method == "POST":
            status, size = rng.choices([(201, rng.randrange(120, 900)), (400, rng.randrange(60, 140))],
                                       weights=[92, 8])[0]
        elif method == "PUT":
            status, size = 200, rng.randrange(80, 600)
        elif method == "DELETE":
            status, size = rng.choices([(204, None), (404, 47)], weights=[85, 15])[0]
        else:
            status, size = 200, rng.randrange(90, 12_000)  # a few small pages are <= 100 bytes
        if rng.random() < 0.01:
            status, size = 500, 531
            micros = lognormal_us(rng, 200_000, 0.7)
        elif rng.random() < 0.003:
            status, size = rng.choice([(502, 373), (504, 247)])
            micros = rng.randrange(1_000_000, 30_000_000) if status == 502 else 60_000_000 + rng.randrange(0, 200_000)
    elif kind == "tiny":
        status, size = 200, (2 if path == "/api/v1/ping" else 17)  # "ok", '{"status":"up"}\n'
        micros = lognormal_us(rng, 600, 0.5)
    elif kind == "login":
        status = rng.choices([200, 302, 401], weights=[50, 40, 10])[0]
        size = {200: 5_120, 302: None, 401: 381}[status]  # a redirect with no body: "-"
    elif kind == "admin":
        status, size = rng.choice([(401, 381), (403, 199), (200, 14_880)])
    elif kind == "download":
        mb = rng.randrange(1, 120)
        status = 206 if rng.random() < 0.3 else 200
        size = mb * 1_048_576 if status == 200 else rng.randrange(1, mb + 1) * 524_288
        bandwidth = max(200_000, rng.lognormvariate(math.log(2_000_000), 0.8))  # bytes/s
        micros = int(size / bandwidth * 1e6)
    elif kind == "moved":
        status, size = rng.choice([(301, 239), (302, 215)])
        micros = lognormal_us(rng, 1_000, 0.5)
    else:  # probe
        status, size = 404, 196
        micros = lognormal_us(rng, 1_500, 0.5)
    if method == "HEAD":
        size = None
    return method, path, proto, status, size, micros, kind


def referer(rng, path, kind):
    if kind == "probe":
        return "-"
    if path.startswith(("/static", "/images", "/favicon")) or rng.random() < 0.3:
        return "https://www.example.com" + rng.choice(["/", "/products", "/about", "/blog"])
    return "-" if rng.random() < 0.7 else "https://www.google.com/"


def fmt_time(sec):
    t = START + dt.timedelta(seconds=sec)
    return "%02d/%s/%04d:%02d:%02d:%02d +0000" % (t.day, MONTHS[t.month - 1], t.year, t.hour, t.minute, t.second)


def line(ip, user, tsec, request, status, size, ref, ua, micros):
    return '%s - %s [%s] "%s" %d %s "%s" "%s" %d' % (
        ip, user, fmt_time(tsec), request, status, "-" if size is None else size, ref, ua, micros)


def generate():
    rng = random.Random(SEED)
    ips = ip_pool(rng, 160)
    scraper_ip = "203.0.113.77"
    entries = []  # (arrival_us, seq, text)

    # Request start times: a Poisson stream of visitors plus the scraper's burst.
    starts = []
    t = 0.0
    while True:
        t += rng.expovariate(BASE_RATE)
        if t >= SPAN_S:
            break
        starts.append((t, "visitor"))
    t = float(BURST[0])
    while True:
        t += rng.expovariate(BURST[2])
        if t >= BURST[1]:
            break
        starts.append((t, "scraper"))
    starts.sort()

    scraped = 0
    for seq, (start, who) in enumerate(starts):
        tsec = int(start)  # %t: second resolution
        if who == "scraper":
            scraped += 1
            method, path, proto = "GET", "/products/%d" % rng.randrange(1, 500), "HTTP/1.1"
            if scraped > 300 and rng.random() < 0.5:
                status, size, micros = 429, 283, lognormal_us(rng, 300, 0.4)
            elif rng.random() < 0.08:
                status, size, micros = 503, 299, lognormal_us(rng, 2_000, 0.5)
            else:
                status, size, micros = 200, rng.randrange(3_000, 40_000), lognormal_us(rng, 120_000, 0.8)
            text = line(scraper_ip, "-", tsec, "%s %s %s" % (method, path, proto), status, size, "-", SCRAPER_UA, micros)
        else:
            ip = rng.choice(ips)
            r = rng.random()
            if r < 0.003:  # connection opened, nothing sent: Apache logs "-" and 408 after Timeout (60 s)
                micros = 60_000_000 + rng.randrange(0, 50_000)
                text = line(ip, "-", tsec, "-", 408, None, "-", "-", micros)
            elif r < 0.006:  # a TLS ClientHello sent to port 80
                micros = lognormal_us(rng, 400, 0.4)
                hello = "".join("\\x%02x" % b for b in [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03])
                text = line(ip, "-", tsec, hello, 400, 226, "-", "-", micros)
            else:
                method, path, proto, status, size, micros, kind = visitor_request(rng)
                user = "alice" if path == "/admin" and status == 200 else "-"
                ua = rng.choices(UAS, weights=UA_WEIGHTS)[0]
                text = line(ip, user, tsec, "%s %s %s" % (method, path, proto), status, size, referer(rng, path, kind), ua, micros)
        entries.append((tsec * 1_000_000 + micros, seq, text))

    entries.sort()
    lines = [e[2] for e in entries]

    # Malformed lines, about 1 % in all. Chosen positions are corrupted in place
    # (they keep their arrival slot); stray non-log lines are inserted.
    n = len(lines)
    picks = rng.sample(range(n), 28)
    for i in picks[:14]:  # truncated: cut before the status code, as a crashed writer would
        end_of_request = lines[i].index('" ') + 2  # where the status code starts
        lines[i] = lines[i][: rng.randrange(10, end_of_request)].rstrip(" ")  # no trailing blanks for editors to eat
    bad_times = [
        lambda s: re.sub(r":(\d\d):(\d\d) \+0000\]", r":61:\2 +0000]", s),            # minute 61
        lambda s: re.sub(r"/Sep/", "/Sept/", s),                                       # month "Sept"
        lambda s: re.sub(r"\[(\d\d)/Sep/2025:(\d\d:\d\d:\d\d) \+0000\]", r"[2025-09-\1T\2Z]", s),  # ISO 8601
        lambda s: s.replace(" +0000]", "]"),                                           # no zone
        lambda s: re.sub(r"\[[^\]]*\]", "[]", s, count=1),                             # empty
    ]
    for k, i in enumerate(picks[14:]):
        lines[i] = bad_times[k % len(bad_times)](lines[i])
    strays = [
        "[Sun Sep 28 10:17:42.512301 2025] [core:error] [pid 2231:tid 140104] [client 198.51.100.23:50514] AH00126: Invalid URI in request GET /%2e%2e/%2e%2e/etc/passwd HTTP/1.1",
        "[Sun Sep 28 11:02:09.007788 2025] [mpm_event:notice] [pid 1:tid 1] AH00489: Apache/2.4.65 (Unix) configured -- resuming normal operations",
        "\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00",
        "-- log rotated --",
        "GET /index.html HTTP/1.1",
        "198.51.100.9 - - 28/Sep/2025:11:30:00 +0000 GET / HTTP/1.1 200 5120",
        "",
    ]
    for s in strays:
        lines.insert(rng.randrange(1, len(lines)), s)
    return lines


def write():
    lines = generate()
    LOG.write_text("\n".join(lines) + "\n", encoding="ascii", newline="\n")
    CODES.write_text("code,description\n" + "".join("%d,%s\n" % c for c in STATUS_TABLE),
                     encoding="ascii", newline="\n")


def summary():
    """Runs the lab's steps (9.3 regex, 9.4 timestamp, 9.5 left join, 9.6 filter, 9.7 group by)."""
    raw = LOG.read_text(encoding="ascii").split("\n")
    assert raw[-1] == ""  # the file ends with a newline
    raw = raw[:-1]
    table = {}
    for row in CODES.read_text(encoding="ascii").splitlines()[1:]:
        code, desc = row.split(",", 1)
        table[code] = desc  # the key is a string, as in the lab's JSON
    no_match = bad_time = 0
    rows = []
    why = Counter()
    for s in raw:
        m = LAB_REGEX.search(s)
        if not m:
            no_match += 1
            if s == "":
                why["empty line"] += 1
            elif '"-" 408' in s:
                why['request "-" (408)'] += 1
            elif re.search(r'" \d{3} - "', s):
                why["size '-'"] += 1
            elif '"\\x16' in s:
                why["TLS bytes as request (400)"] += 1
            else:
                why["truncated / not a log line"] += 1
            continue
        try:
            event = dt.datetime.strptime(m.group(4), LAB_TIME_FORMAT)
        except ValueError:
            bad_time += 1
            continue
        served = re.search(r" (\d+)$", s)  # %D, after the lab's fields
        rows.append((event, int(m.group(8)), int(m.group(9)), int(served.group(1)) if served else None))
    events = [r[0] for r in rows]
    status = Counter(r[1] for r in rows)
    joined = [(r, table.get(str(r[1]))) for r in rows]  # int code -> string key
    final = [(r, d) for r, d in joined if r[1] == 200 and r[2] > 100]
    digest = lambda p: hashlib.sha256(p.read_bytes()).hexdigest()
    print("lines                       %d" % len(raw))
    print("regex does not match        %d  %s" % (no_match, dict(sorted(why.items()))))
    print("regex matches, bad time     %d" % bad_time)
    print("parsed                      %d" % len(rows))
    print("event time min / max        %s / %s" % (min(events).isoformat(), max(events).isoformat()))
    print("status counts (parsed)      %s" % dict(sorted(status.items())))
    print("join: no description        %d  (codes %s)" % (sum(d is None for _, d in joined),
                                                         sorted({r[1] for r, d in joined if d is None})))
    print("status 200 and size > 100   %d  (200 with size <= 100: %d)" % (
        len(final), sum(1 for r in rows if r[1] == 200 and r[2] <= 100)))
    print("group by description        %s" % dict(Counter(d for _, d in final)))
    served = sorted(r[3] for r in rows)
    rank = lambda p: served[-(-p * len(served) // 100) - 1]  # nearest rank: sorted[ceil(p*n)-1]
    print("%%D = arrival - event (s)    p50 %.6f  p99 %.6f  max %.6f  (parsed lines, nearest rank)" % (
        rank(50) / 1e6, rank(99) / 1e6, served[-1] / 1e6))
    seen, behind = None, 0
    for e in events:  # file order = arrival order
        behind += seen is not None and e < seen
        seen = e if seen is None else max(seen, e)
    print("parsed lines whose %%t is before an earlier line's %%t: %d" % behind)
    print("sha256 access.log           %s" % digest(LOG))
    print("sha256 status_codes.csv     %s" % digest(CODES))


if __name__ == "__main__":
    if "--check" not in sys.argv[1:]:
        write()
    summary()
