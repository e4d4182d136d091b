"""SJDRAW-1: the publicly verifiable draw (摇号) of inspection objects and inspectors.

Pure functions over plain data (standard library only). The product calls, in order:

* :func:`prepare` — canonical inputs, hashes, sizes and the §8 feasibility check (no randomness);
* :func:`new_nonce` / :func:`commitment` — the machine commitment shown before witnesses speak;
* :func:`execute` — the draw itself, returning the record dict (§9);
* :func:`replace` — a replacement round (递补) appended to a record;
* :func:`verify_record` / :func:`verify_file` — the recomputation anyone can run.
"""

from app.draw.api import GroupSize, PreparedDraw, StratumSize, commitment, execute, new_nonce, prepare
from app.draw.errors import (
    DrawError,
    ForbiddenTextError,
    InfeasibleDrawError,
    InputError,
    ParamsError,
    RecordError,
    ReplacementError,
)
from app.draw.feasibility import Feasibility, GroupShortage, ObjectShortage
from app.draw.models import Witness
from app.draw.params import DrawParams, StratumRule, format_params, parse_params
from app.draw.record import dump_record, load_record
from app.draw.replacing import replace
from app.draw.verify import Difference, Outcome, VerifyResult, verify_file, verify_record, verify_text

__all__ = [
    "Difference",
    "DrawError",
    "DrawParams",
    "Feasibility",
    "ForbiddenTextError",
    "GroupShortage",
    "GroupSize",
    "InfeasibleDrawError",
    "InputError",
    "ObjectShortage",
    "Outcome",
    "ParamsError",
    "PreparedDraw",
    "RecordError",
    "ReplacementError",
    "StratumRule",
    "StratumSize",
    "VerifyResult",
    "Witness",
    "commitment",
    "dump_record",
    "execute",
    "format_params",
    "load_record",
    "new_nonce",
    "parse_params",
    "prepare",
    "replace",
    "verify_file",
    "verify_record",
    "verify_text",
]
