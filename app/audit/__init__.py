"""The tamper-evident audit trail: who did what and when, HMAC-chained under the installation's key, and the
seals that let `python -m app audit verify` notice protected records changed behind the app's back."""

from app.audit.recorder import SEAL_ACTION, bulk, install_recorder, record_event, seal_legacy

__all__ = ["SEAL_ACTION", "bulk", "install_recorder", "record_event", "seal_legacy"]
