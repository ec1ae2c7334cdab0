"""``proofsheet serve``: a page where a student pastes or uploads a derivation and sees it
checked line by line, as ``proofsheet check`` checks it (see :mod:`.app` for the limits).

The web libraries are an optional extra (``pip install proofsheet[serve]``): this package
imports them only when the page is made.
"""

from __future__ import annotations

from pathlib import Path


def serve(host: str, port: int, build: Path, seconds: float, checks: int) -> int:
    """Run the page on uvicorn until Ctrl-C; 0 when it stopped cleanly."""
    import uvicorn

    from .app import make_app

    app = make_app(build=build, seconds=seconds, checks=checks)
    uvicorn.run(app, host=host, port=port, log_level="info")
    return 0
