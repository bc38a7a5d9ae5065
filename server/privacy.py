"""Personal data: text → the same text with ID-card, mobile and bank-card numbers masked.

Applied at the gateway's entrance (before logging, the dialogue manager, the tracker store and
any record) and as a logging filter, so no unmasked sample reaches disk.
"""

from __future__ import annotations

import logging
import re

# 18-character 身份证号: 6-digit area, birth date 18xx–20xx, 3 digits, digit or X
ID_CARD = re.compile(r"(?<![0-9A-Za-z])[1-9]\d{5}(?:18|19|20)\d{2}(?:0[1-9]|1[0-2])(?:0[1-9]|[12]\d|3[01])\d{3}[\dXx](?![0-9A-Za-z])")
MOBILE = re.compile(r"(?<!\d)(?:\+?86[- ]?)?1[3-9]\d[- ]?\d{4}[- ]?\d{4}(?!\d)")
BANK_CARD = re.compile(r"(?<!\d)(?:\d[ -]?){15,18}\d(?!\d)")


def mask(text: str) -> str:
    """'我的身份证440106199001011234' → '我的身份证4401**********1234' (mobile 138****5678, card ****1234)."""
    text = ID_CARD.sub(lambda m: m.group(0)[:4] + "*" * 10 + m.group(0)[-4:], text)
    text = MOBILE.sub(_mask_mobile, text)
    return BANK_CARD.sub(lambda m: "****" + re.sub(r"\D", "", m.group(0))[-4:], text)


def _mask_mobile(m: re.Match) -> str:
    digits = re.sub(r"\D", "", m.group(0))[-11:]
    return f"{digits[:3]}****{digits[-4:]}"


class MaskingFilter(logging.Filter):
    """A logging filter that masks personal data in every record's final message."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True


def install_log_masking() -> None:
    """Attach the masking filter to every handler of the root logger (and to new ones via the root)."""
    root = logging.getLogger()
    for handler in root.handlers:
        if not any(isinstance(f, MaskingFilter) for f in handler.filters):
            handler.addFilter(MaskingFilter())
