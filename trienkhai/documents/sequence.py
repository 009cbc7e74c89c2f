"""The next number in a unit's sequence of one document type for a term.

Numbers restart every committee term, and each type (KH, CTr …) runs its own sequence per issuing
body: the plan after 05-KH/TU of the XVII term is 06-KH/TU. A proposal only: the person issuing the
document may change it, and the registry's identity constraint refuses a number already taken.
"""

import datetime
from dataclasses import dataclass

from django.db.models import IntegerField, Max
from django.db.models.functions import Cast

from trienkhai.documents.models import DocType, Document, System
from trienkhai.documents.numbering import InvalidDocumentNumber, format_symbol

# The type code each document type the system issues prints (DOMAIN §3: KH, CTr, BC, TB).
TYPE_CODES = {
    DocType.PLAN: "KH",
    DocType.PROGRAMME: "CTr",
    DocType.ACTION_PROGRAMME: "CTr",
    DocType.REPORT: "BC",
    DocType.NOTICE: "TB",
}


@dataclass(frozen=True)
class NumberProposal:
    number: str
    term: str
    issuer: str  # "" when the unit has no Party document to learn its issuer code from
    symbol: str  # "" without an issuer code


def _latest(unit, day: datetime.date | None):
    docs = Document.objects.filter(issuing_unit=unit)
    if day is not None:
        docs = docs.filter(date__lte=day)
    return docs.order_by("-date", "-id")


def propose_number(unit, doc_type: str, day: datetime.date | None = None) -> NumberProposal:
    """Next number of `doc_type` for `unit` in its current term (the term of its latest document
    on or before `day`), printed with the issuer code its Party documents use."""
    code = TYPE_CODES.get(doc_type, "KH")
    latest = _latest(unit, day)
    term = latest.values_list("term", flat=True).first() or ""
    issuer = latest.filter(system=System.PARTY).values_list("issuer_code", flat=True).first() or ""
    top = 0
    if term:
        # Numbers are digits only (the parser refuses anything else), so they cast to integers.
        top = (
            Document.objects.filter(issuing_unit=unit, type_code=code, term=term)
            .annotate(n=Cast("number", IntegerField()))
            .aggregate(top=Max("n"))["top"]
            or 0
        )
    number = f"{top + 1:02d}"
    symbol = ""
    if issuer:
        try:
            symbol = format_symbol(number, code, issuer, "party")
        except InvalidDocumentNumber:
            symbol = ""
    return NumberProposal(number=number, term=term, issuer=issuer, symbol=symbol)
