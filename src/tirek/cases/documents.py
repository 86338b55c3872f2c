"""The case's documents: adding (with the scanned file checked by its content, not its name) and removing,
each with its CaseEvent and audit event; and reading them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from tirek.audit.choices import AuditAction
from tirek.audit.services import audit_record
from tirek.audit.writes import create_audited
from tirek.cases.choices import CaseEventKind
from tirek.cases.models import Case, CaseDocument, CaseEvent
from tirek.core.scoping import get_visible_or_404, require

# What a scan may be, recognised by its first bytes (a renamed executable is not a PDF).
SIGNATURES = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}


def sniff(upload) -> tuple[str, str] | None:
    """(content type, extension) of an uploaded scan, or None when it is not a PDF, PNG or JPEG."""
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for signature, found in SIGNATURES.items():
        if head.startswith(signature):
            return found
    return None


def case_document_add(
    *,
    actor,
    case: Case,
    kind: str,
    dated: dt.date,
    title: str = "",
    issued_by: str = "",
    file=None,
) -> CaseDocument:
    require(actor, "cases.documents", case.organisation_id)
    if dated and dated > timezone.localdate():
        raise ValidationError({"dated": _("A document cannot be dated in the future.")})
    document = CaseDocument(
        case=case,
        kind=kind,
        dated=dated,
        title=title,
        issued_by=issued_by,
        added_by=actor if actor.is_authenticated else None,
    )
    if file is not None:
        limit = settings.TIREK_DOCUMENT_MAX_BYTES
        if file.size > limit:
            raise ValidationError(
                {"file": _("The file is larger than %(limit)s MB.") % {"limit": limit // (1024 * 1024)}}
            )
        found = sniff(file)
        if found is None:
            raise ValidationError({"file": _("Upload a PDF, PNG or JPEG scan.")})
        document.content_type, extension = found
        document.size = file.size
        file.name = f"scan.{extension}"
        document.file = file
    with transaction.atomic():
        create_audited(
            actor=actor,
            instance=document,
            organisation=case.organisation_id,
            subject_person_id=case.person_id,
            exclude=["file"],
        )
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.DOCUMENT_ADDED,
            actor=document.added_by,
            data={"kind": kind, "title": title, "dated": str(dated)},
        )
    return document


def case_document_remove(*, actor, document: CaseDocument) -> None:
    case = document.case
    require(actor, "cases.change", case.organisation_id)
    stored = document.file.name if document.file else ""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action=AuditAction.DELETE,
            obj=document,
            organisation=case.organisation_id,
            subject_person_id=case.person_id,
        )
        CaseEvent.objects.create(
            case=case,
            kind=CaseEventKind.DOCUMENT_REMOVED,
            actor=actor if actor.is_authenticated else None,
            data={"kind": document.kind, "title": document.title, "dated": str(document.dated)},
        )
        document.delete()
        if stored:
            transaction.on_commit(lambda: document.file.storage.delete(stored))


def case_document_list(*, user, case: Case) -> QuerySet[CaseDocument]:
    return CaseDocument.objects.visible_to(user).filter(case=case).select_related("added_by")


def case_document_get(*, user, pk) -> CaseDocument:
    return get_visible_or_404(CaseDocument.objects.select_related("case", "case__person"), user, pk=pk)
