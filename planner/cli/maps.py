"""Commands ``planner map`` and ``planner report``, added to the command line by :func:`register`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from planner.cli.common import ForceFileOption, LangOption, RunDirArg, fail

OutOption = Annotated[Path | None,
                      typer.Option("--out", "-o", help="File to write (an existing one only with --force).",
                                                show_default=False)]


def _target(run_dir: Path, out: Path | None, default: str, force: bool) -> Path:
    """The file to write: `out`, refused when it exists (unless `force`); else RUN_DIR/`default`, redrawn in place."""
    from planner.runfolder import OutputExists, check_file_output

    if out is None:
        return run_dir / default
    try:
        check_file_output(out, force)
    except OutputExists as exc:
        raise fail(str(exc)) from None
    return out


def map_command(
    run_dir: RunDirArg,
    offline: Annotated[bool,
                       typer.Option("--offline/--cdn", help="Inline every script and style sheet, as the run's own "
                                           "map does (works without internet), or load them from their CDNs (a smaller "
                                           "file).")] = True,
    tiles: Annotated[str, typer.Option(help="Base tiles: a name folium knows (e.g. OpenStreetMap, "
                                            "OpenTopoMap) or 'none' for a plain background.")] = "OpenStreetMap",
    png: Annotated[bool, typer.Option("--png", help="Write a static PNG image instead of the HTML map.")] = False,
    out: OutOption = None,
    force: ForceFileOption = False,
    lang: LangOption = "en",
) -> None:
    """Redraw the map of a run folder: RUN_DIR/map.html, or RUN_DIR/map.png with --png."""
    from planner.maps.assets import OfflineAssetError
    from planner.maps.htmlout import save_html
    from planner.maps.images import png as write_png
    from planner.maps.interactive import plan_map
    from planner.runfolder import WriteFailed, atomic_file
    from planner.runfolder.read import RunFolderError

    target = _target(run_dir, out, "map.png" if png else "map.html", force)
    try:
        with atomic_file(target) as tmp:  # a failed redraw keeps the map there was
            if png:
                write_png(run_dir, tmp, lang)
            else:
                save_html(plan_map(run_dir, tiles=tiles, lang=lang), tmp, offline=offline)
    except (RunFolderError, OfflineAssetError, WriteFailed) as exc:
        raise fail(str(exc)) from None
    except ValueError as exc:  # e.g. an unknown tile name
        raise fail(f"cannot draw the map: {exc}") from None
    except OSError as exc:
        raise fail(f"cannot write {target}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {target}")


def report_command(run_dir: RunDirArg, out: OutOption = None, force: ForceFileOption = False,
                   lang: LangOption = "en") -> None:
    """Write a self-contained HTML report of a run folder (RUN_DIR/report.html) that prints cleanly to PDF; for a run
    without a plan (infeasible, no solution), what happened: status, solver, times and why."""
    from planner.maps.assets import OfflineAssetError
    from planner.maps.reporting import report
    from planner.runfolder import WriteFailed, atomic_file
    from planner.runfolder.read import RunFolderError

    target = _target(run_dir, out, "report.html", force)
    try:
        with atomic_file(target) as tmp:
            report(run_dir, tmp, lang)
    except (RunFolderError, OfflineAssetError, WriteFailed) as exc:
        raise fail(str(exc)) from None
    except OSError as exc:
        raise fail(f"cannot write {target}: {exc.strerror or exc}") from None
    typer.echo(f"wrote {target}")


def register(app: typer.Typer) -> None:
    """Add ``map`` and ``report`` to the `planner` command line `app`."""
    app.command("map")(map_command)
    app.command("report")(report_command)
