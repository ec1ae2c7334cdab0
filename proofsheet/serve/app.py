"""The Starlette application behind ``proofsheet serve``.

Limits, each a guard against one student slowing or breaking the page for the class:

* a request body over :data:`MAX_BODY_BYTES` is refused with 413 before it is parsed
  (the ``Content-Length`` first, then the bytes counted as they arrive);
* each check runs in a supervised worker (:mod:`.worker`) under ``check``'s time limit and
  memory cap, never in the server's process;
* at most ``checks`` checks run at once (one :class:`asyncio.Semaphore` for the server;
  default 2, one per core of a small machine), at most :data:`MAX_WAITING` more wait, and a
  client address with a check running gets 429 for a second one;
* no request touches the file system: the answer sheets are read once, at start-up, from a
  fixed list of names (:data:`SHEETS`) in the build folder, and served from memory;
* an error of any kind is an HTML page that says what to do, never a traceback.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.parser
import email.policy
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from ..search.decide import DEFAULT_SECONDS
from .page import Problem, page
from .worker import check_in_worker

MAX_BODY_BYTES = 256 * 1024  #: the largest request: a derivation is a few KiB
MAX_WAITING = 16  #: checks that may wait for a free worker; more get 503
#: the answer sheets the page links, by name; nothing else under the build folder is served
SHEETS = {
    "answers.en.md": "text/markdown; charset=utf-8",
    "answers.zh.md": "text/markdown; charset=utf-8",
    "answers.en.pdf": "application/pdf",
    "answers.zh.pdf": "application/pdf",
}


class BadRequest(Exception):
    """Input the page cannot check: the HTTP status and what the student reads."""

    def __init__(self, status: int, title: str, detail: str) -> None:
        super().__init__(title)
        self.status, self.problem = status, Problem(title, detail)


def load_sheets(build: Path) -> dict[str, tuple[bytes, str]]:
    """The allow-listed sheets that exist in ``build``, read now (start-up), by name."""
    found = {}
    for name, media in SHEETS.items():
        with contextlib.suppress(OSError):
            found[name] = ((build / name).read_bytes(), media)
    return found


def make_app(
    build: Path = Path("build"), seconds: float = DEFAULT_SECONDS, checks: int = 2
) -> Starlette:
    """The page, checking under ``seconds`` a step with ``checks`` workers at most."""
    sheets = load_sheets(build)
    names = sorted(sheets)
    running = asyncio.Semaphore(checks)
    state = {"waiting": 0}
    busy: set[str] = set()  # client addresses with a check running

    def html(status: int, **parts) -> HTMLResponse:
        return HTMLResponse(page(names, **parts), status_code=status)

    async def home(request: Request) -> Response:
        return html(200)

    async def check(request: Request) -> Response:
        client = request.client.host if request.client else "?"
        text = ""
        try:
            text = await read_text(request)
            if client in busy:
                raise BadRequest(429, "One check at a time", "wait for your other check")
            if state["waiting"] >= MAX_WAITING:
                raise BadRequest(503, "The page is busy", "try again in a minute")
            busy.add(client)
            try:
                state["waiting"] += 1
                async with running:
                    state["waiting"] -= 1
                    answer = await run_in_threadpool(check_in_worker, text, seconds)
            finally:
                busy.discard(client)
        except BadRequest as exc:
            return html(exc.status, text=text, error=exc.problem)
        return html(200, text=text, answer=answer)

    async def sheet(request: Request) -> Response:
        found = sheets.get(request.path_params["name"])
        if found is None:
            return html(404, error=Problem("No such sheet", "see the links on the page"))
        return Response(found[0], media_type=found[1])

    async def failed(request: Request, exc: Exception) -> Response:
        detail = "an error in the page itself; the checker's authors would like to know"
        return html(500, error=Problem("Not checked", detail))

    async def not_found(request: Request, exc: Exception) -> Response:
        return html(getattr(exc, "status_code", 404), error=Problem("No such page", "see /"))

    return Starlette(
        routes=[
            Route("/", home),
            Route("/check", check, methods=["POST"]),
            Route("/sheet/{name}", sheet),
        ],
        exception_handlers={Exception: failed, 404: not_found, 405: not_found},
    )


async def read_text(request: Request) -> str:
    """The derivation in a request: the uploaded file when one was chosen, else the text."""
    body = await read_body(request)
    kind = request.headers.get("content-type", "")
    if kind.startswith("multipart/form-data"):
        fields = multipart_fields(kind, body)
    elif kind.startswith("application/x-www-form-urlencoded"):
        fields = {k: v[0].encode("latin-1") for k, v in _query(body).items()}
    else:
        raise BadRequest(415, "Not a form", "send the page's form (paste text or choose a file)")
    data = fields.get("file") or fields.get("text") or b""
    return decode(data)


async def read_body(request: Request) -> bytes:
    """The body, refused with 413 as soon as it is known to pass :data:`MAX_BODY_BYTES`."""
    too_large = BadRequest(
        413, "Too large", f"a derivation may be at most {MAX_BODY_BYTES // 1024} KiB"
    )
    with contextlib.suppress(ValueError):
        if int(request.headers.get("content-length", "0")) > MAX_BODY_BYTES:
            raise too_large
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise too_large
        chunks.append(chunk)
    return b"".join(chunks)


def _query(body: bytes) -> dict[str, list[str]]:
    try:
        # latin-1 gives the percent-decoded bytes back, for decode() to judge as UTF-8
        return parse_qs(body.decode("ascii"), max_num_fields=10, encoding="latin-1")
    except (UnicodeDecodeError, ValueError) as exc:
        raise BadRequest(400, "Not a form", "the form's fields could not be read") from exc


def multipart_fields(kind: str, body: bytes) -> dict[str, bytes]:
    """``name -> bytes`` of a multipart form (the standard library's MIME parser)."""
    head = f"Content-Type: {kind}\r\nMIME-Version: 1.0\r\n\r\n".encode("latin-1", "replace")
    message = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(head + body)
    if not message.is_multipart():
        raise BadRequest(400, "Not a form", "the form's fields could not be read")
    fields = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        payload = part.get_payload(decode=True)
        if isinstance(name, str) and isinstance(payload, bytes) and name not in fields:
            fields[name] = payload
    return fields


def decode(data: bytes) -> str:
    """The text as UTF-8 (a byte-order mark dropped); binary or empty input is a BadRequest."""
    if not data.strip():
        raise BadRequest(400, "Nothing to check", "paste a derivation or choose a file")
    if b"\0" in data:
        raise BadRequest(400, "Not a text file", "choose the .md or .tex file of the derivation")
    try:
        return data.decode("utf-8").removeprefix("\ufeff").replace("\r\n", "\n")
    except UnicodeDecodeError as exc:
        raise BadRequest(
            400, "Not UTF-8 text", f"the text could not be read as UTF-8 (byte {exc.start})"
        ) from exc
