"""Where a draw's files go: the record JSON and the printed 随机抽取情况记录表 PDF, side by side."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.orm import Session

from app.paths import data_dir
from app.tasks.records import export_record


def records_folder() -> Path:
    """抽取记录 in the data directory (one sub-folder per task code)."""
    folder = data_dir() / "抽取记录"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def export_draw_files(session: Session, draw_id: int, folder: Path | None = None) -> tuple[Path, Path]:
    """Write the verifiable record JSON and, from that very file, its PDF sheet. Returns (json, pdf).

    The sheet is built from the exported file so the SHA-256 and QR code it prints are those of the file.
    """
    from app.forms.draw_sheet import write_draw_sheet  # reportlab: loaded when something is printed
    from app.forms.draw_sheet_record import load_draw_sheet_data

    target = folder or records_folder()
    target.mkdir(parents=True, exist_ok=True)
    record_path = export_record(session, draw_id, target)
    pdf_path = record_path.with_suffix(".pdf")
    write_draw_sheet(load_draw_sheet_data(record_path), pdf_path)
    return record_path, pdf_path
