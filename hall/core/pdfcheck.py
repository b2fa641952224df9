"""A PDF judged by what its parsed objects say, in a child process.

qpdf decodes object streams whole to read the objects packed in them, so a
small upload can ask for gigabytes; the child runs under memory and CPU
limits, and a child that dies or overruns its time is a refusal, never a
server worker lost. The child is a fork of the worker, with the parser
already loaded, so a check costs milliseconds, not an interpreter's start;
it touches nothing of the parent's (no database, no files) and leaves with
os._exit, so the parent's connections are never closed under it.
"""

import io
import json
import os
import select
import signal
import time

# The child's address space and CPU time: a 10 MB scan needs a fraction.
CHILD_MEMORY_BYTES = 1024 * 1024 * 1024
CHILD_CPU_SECONDS = 20
CHILD_TIMEOUT_SECONDS = 30
# Indirect objects and nested values a PDF may hold before it is "too complex"
# to judge: a scanned application has a few hundred.
PDF_MAX_OBJECTS = 200_000
_PDF_MAX_NODES = 5_000_000


class _Verdict(Exception):
    def __init__(self, code: str, what: str = ""):
        super().__init__(code)
        self.code = code
        self.what = what


# Decoded names (a parser reads /J#61vaScript as /JavaScript), judged in every
# dictionary of every object, compressed object streams included.
_PDF_SCRIPT_KEYS = {"/JS", "/JavaScript"}
_PDF_EMBED_KEYS = {"/EmbeddedFiles", "/EF"}
_PDF_ACTIONS = {
    "/JavaScript": "script",
    "/Launch": "launch",
    "/GoToR": "launch",  # opens another file, on a share if it likes
    "/GoToE": "embedded",
    "/SubmitForm": "submit",
    "/ImportData": "submit",
    "/Rendition": "media",
    "/Movie": "media",
    "/Sound": "media",
    "/GoTo3DView": "media",
}
_PDF_MEDIA_SUBTYPES = {"/RichMedia", "/Screen", "/Movie", "/Sound", "/3D"}
# What an OpenAction or an additional action (AA) may do by itself when the
# clerk opens a page or moves the mouse: move inside the document, nothing
# that reaches the network or another file.
_PDF_AUTO_OK = {"/GoTo", "/Named", "/SetOCGState", "/Hide", "/ResetForm", "/Trans"}


def _check_pdf(data: bytes) -> None:
    import pikepdf

    # Encryption with an empty user password (a "no printing/copying" lock,
    # common on official forms) opens without a password and is judged in
    # full; a file that needs a password to open cannot be judged at all.
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except pikepdf.PasswordError:
        raise _Verdict("pdf_password") from None
    except Exception:  # qpdf's errors for every way a file can fail to parse
        raise _Verdict("pdf_broken") from None
    with pdf:
        try:
            xref = pdf.get_xref_table()
            if len(xref) > PDF_MAX_OBJECTS:
                raise _Verdict("pdf_complex")
            _check_object_streams(pdf, xref)
            _pdf_walk(pikepdf, [pdf.trailer, *pdf.objects])
        except _Verdict:
            raise
        except Exception:
            raise _Verdict("pdf_broken") from None
        if any("bad_alloc" in w or "error decoding stream" in w for w in pdf.get_warnings()):
            raise _Verdict("pdf_complex")


def _check_object_streams(pdf, xref) -> None:
    """Every object stream must decode: qpdf reads the objects of one that
    does not (too big for the child's memory, a broken filter) as null, and a
    viewer with more memory would find the script hidden there."""
    for number in {e.obj_stream_number for e in xref.values() if e.type == 2}:
        try:
            pdf.get_object((number, 0)).read_bytes()
        except Exception:
            raise _Verdict("pdf_complex") from None


def _pdf_walk(pikepdf, roots: list) -> None:
    """Judge every dictionary: each indirect object and the direct values
    nested in it (indirect ones are in `roots` themselves)."""
    stack = list(roots)
    nodes = 0
    while stack:
        obj = stack.pop()
        nodes += 1
        if nodes > _PDF_MAX_NODES:
            raise _Verdict("pdf_complex")
        if isinstance(obj, pikepdf.Stream):
            obj = obj.stream_dict
        if isinstance(obj, pikepdf.Dictionary):
            _pdf_judge(pikepdf, obj)
            children = obj.values()
        elif isinstance(obj, pikepdf.Array):
            children = list(obj)
        else:
            continue
        for child in children:
            if isinstance(child, pikepdf.Dictionary | pikepdf.Array) and not child.is_indirect:
                stack.append(child)


def _pdf_name(pikepdf, value) -> str | None:
    return str(value) if isinstance(value, pikepdf.Name) else None


def _pdf_judge(pikepdf, d) -> None:
    keys = set(d.keys())
    if keys & _PDF_SCRIPT_KEYS:
        raise _Verdict("active_pdf", "script")
    if keys & _PDF_EMBED_KEYS:
        raise _Verdict("active_pdf", "embedded")
    if "/XFA" in keys:
        raise _Verdict("active_pdf", "xfa")
    action = _pdf_name(pikepdf, d.get("/S"))
    if action in _PDF_ACTIONS:
        raise _Verdict("active_pdf", _PDF_ACTIONS[action])
    subtype = _pdf_name(pikepdf, d.get("/Subtype"))
    if subtype == "/FileAttachment" or _pdf_name(pikepdf, d.get("/Type")) == "/EmbeddedFile":
        raise _Verdict("active_pdf", "embedded")
    if subtype in _PDF_MEDIA_SUBTYPES:
        raise _Verdict("active_pdf", "media")
    if "/OpenAction" in keys:
        opening = d.get("/OpenAction")
        # An array is a destination (which page, what zoom), not an action.
        if not isinstance(opening, pikepdf.Array):
            _pdf_auto(pikepdf, opening)
    if "/AA" in keys:
        triggers = d.get("/AA")
        if isinstance(triggers, pikepdf.Dictionary):
            for trigger in triggers.values():
                _pdf_auto(pikepdf, trigger)


def _pdf_auto(pikepdf, action) -> None:
    """An automatic action and the chain of actions after it (/Next)."""
    stack, seen = [action], set()
    while stack:
        a = stack.pop()
        if isinstance(a, pikepdf.Array):
            stack.extend(a)
            continue
        if not isinstance(a, pikepdf.Dictionary):
            continue
        if a.is_indirect:
            if a.objgen in seen:
                continue
            seen.add(a.objgen)
        kind = _pdf_name(pikepdf, a.get("/S"))
        if kind in _PDF_ACTIONS:
            raise _Verdict("active_pdf", _PDF_ACTIONS[kind])
        if kind is not None and kind not in _PDF_AUTO_OK:
            raise _Verdict("active_pdf", "auto")
        following = a.get("/Next")
        if following is not None:
            stack.append(following)
        if len(seen) > 10_000:
            raise _Verdict("pdf_complex")


def judge(data: bytes) -> tuple[str, str] | None:
    """(code, what) of the refusal, or None for a clean PDF."""
    try:
        _check_pdf(data)
    except _Verdict as verdict:
        return verdict.code, verdict.what
    return None


def judge_in_child(data: bytes) -> tuple[str, str] | None:
    import pikepdf  # noqa: F401 - loaded before the fork, so the child need not

    read_fd, write_fd = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: judge, write the verdict, leave at once
        status = 1
        try:
            os.close(read_fd)
            _limit_child()
            with os.fdopen(write_fd, "wb") as out:
                out.write(json.dumps(_answer(data)).encode())
            status = 0
        finally:
            os._exit(status)
    os.close(write_fd)
    output = _read_until(read_fd, pid, time.monotonic() + CHILD_TIMEOUT_SECONDS)
    _, status = os.waitpid(pid, 0)
    try:
        answer = json.loads(output.decode() or "null") if status == 0 else None
    except ValueError:
        answer = None
    if not isinstance(answer, dict):
        return "pdf_complex", ""  # killed at its limits, or could not answer
    if answer.get("ok"):
        return None
    return str(answer.get("code", "pdf_complex")), str(answer.get("what", ""))


def _read_until(fd: int, pid: int, deadline: float) -> bytes:
    """What the child writes, until it closes its end; killed past the deadline."""
    chunks = []
    with os.fdopen(fd, "rb", buffering=0) as pipe:
        while True:
            remaining = deadline - time.monotonic()
            ready = select.select([pipe], [], [], max(remaining, 0))[0] if remaining > 0 else []
            if not ready:
                os.kill(pid, signal.SIGKILL)
                return b""
            chunk = pipe.read(65536)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _answer(data: bytes) -> dict:
    try:
        verdict = judge(data)
    except MemoryError:
        verdict = ("pdf_complex", "")
    if verdict is None:
        return {"ok": True}
    return {"ok": False, "code": verdict[0], "what": verdict[1]}


def _limit_child() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (CHILD_MEMORY_BYTES, CHILD_MEMORY_BYTES))
    resource.setrlimit(resource.RLIMIT_CPU, (CHILD_CPU_SECONDS, CHILD_CPU_SECONDS))
