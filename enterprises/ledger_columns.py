"""Ledger columns that know enterprises: an enterprise's own credit code and a reference to an
enterprise by its credit code (used by the ledgers of enterprises, programs and talent)."""

from __future__ import annotations

from django.core.exceptions import ValidationError

from bureau.ledgers.columns import CellError, Column, Ref, cell_text

from .models import Enterprise
from .validators import normalise_credit_code, validate_credit_code


class CreditCode(Column):
    """The record's own 统一社会信用代码: normalised and checked (GB 32100-2015)."""

    kind = "credit_code"
    hint = "18位统一社会信用代码"
    width = 22

    def parse(self, value):
        text = cell_text(value)
        if text is None:
            return None
        code = normalise_credit_code(text)
        try:
            validate_credit_code(code)
        except ValidationError as exc:
            message = exc.messages[0]
            raise CellError(message.removeprefix("统一社会信用代码")) from None
        return code


class EnterpriseRef(Ref):
    """An enterprise named by its credit code; it must exist (imported from 企业名录 first)."""

    kind = "enterprise"
    hint = "企业的18位统一社会信用代码（企业须已在企业名录中）"
    to_field = "credit_code"
    width = 22
    companion_header = "单位名称（仅供核对）"

    def __init__(self, header, field="enterprise", **kwargs):
        super().__init__(header, field, Enterprise, **kwargs)

    def companion(self, obj):
        enterprise = getattr(obj, self.field, None) if self.field else None
        return enterprise.name if enterprise is not None else None

    def parse(self, value):
        return CreditCode.parse(self, value)

    def missing_message(self, value):
        return "未找到统一社会信用代码为 %(v)s 的企业，请先在企业名录中导入或新建该企业" % {"v": value}
