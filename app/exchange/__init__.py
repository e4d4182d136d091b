"""数据交换: packages that carry a department's statistics and draw records between offline PCs.

Each department keeps its own copy of the program on its own PC; twice a year the 司法局 needs everyone's
figures. A department exports a signed 数据包 (SJPKG-1, :mod:`app.exchange.format`) for a period; the
receiving PC verifies it (signature, hashes, every draw record under SJDRAW-1) and keeps it read-only in the
来自其他部门 area, from which the county-wide tables are built.

    summary = export_package(session, department_id, Period.half(2026, 1), "市场监管局-2026上半年.sjpkg")
    report = inspect_package(path)                      # verify only; report.lines() for people
    outcome = import_package(session, path)             # or accept_new_key=True after a phone check
    facts = county_facts(session, Period.half(2026, 1)) # own + received, for app.reports tables
    rows = list_received(session)                       # the GUI's list

The signing key is derived from the installation's audit secret (:mod:`app.exchange.signing`).
"""

from app.exchange.errors import (
    ExchangeError,
    ExportFileError,
    ExportRefusedError,
    ImportRefusedError,
    KeyChangedError,
    OwnDepartmentError,
    PackageInvalidError,
    PackageUnreadableError,
    SenderCodeClashError,
)
from app.exchange.export import PackageSummary, export_package
from app.exchange.format import FORMAT, SUFFIX
from app.exchange.importing import ImportOutcome, import_package
from app.exchange.reading import PackageReport, inspect_package
from app.exchange.received import (
    ReceivedPackageRow,
    county_facts,
    list_received,
    received_facts,
    received_record_text,
    verify_received,
)
from app.exchange.signing import installation_signing_key

__all__ = [
    "FORMAT",
    "SUFFIX",
    "ExchangeError",
    "ExportFileError",
    "ExportRefusedError",
    "ImportOutcome",
    "ImportRefusedError",
    "KeyChangedError",
    "SenderCodeClashError",
    "OwnDepartmentError",
    "PackageInvalidError",
    "PackageReport",
    "PackageSummary",
    "PackageUnreadableError",
    "ReceivedPackageRow",
    "county_facts",
    "export_package",
    "import_package",
    "inspect_package",
    "installation_signing_key",
    "list_received",
    "received_facts",
    "received_record_text",
    "verify_received",
]
