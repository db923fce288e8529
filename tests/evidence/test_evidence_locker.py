"""The locker: content addressing, duplicates, metadata, custody, get, verify."""

from __future__ import annotations

import hashlib
import os
import tracemalloc

import pytest
from PIL import Image
from sqlalchemy import func, select

from reckon import audit
from reckon.errors import ConfigError, EvidenceError, NotFoundError, PermissionDenied
from reckon.evidence import (
    FileStore,
    add_evidence,
    get_evidence,
    link_evidence,
    list_evidence,
    show_evidence,
    transfer_evidence,
    verify_evidence,
)
from reckon.ingest import import_file
from reckon.model import CustodyEvent, EvidenceItem, Role


def _stored_files(project) -> list:
    return [p for p in project.files_dir.rglob("*") if p.is_file()]


def test_add_hashes_stores_once_and_audits(empty_project, documenter, make_file):
    data = os.urandom(3 * (1 << 20) + 17)  # spans several chunks
    path = make_file("testimony.pdf", b"%PDF-1.4\n" + data)
    result = add_evidence(
        empty_project, documenter, path, source="Field team", description="Interview 12"
    )
    expected = hashlib.sha256(path.read_bytes()).hexdigest()
    assert (result.sha256, result.size, result.media_type) == (
        expected,
        path.stat().st_size,
        "application/pdf",
    )
    assert not result.duplicate
    stored = FileStore(empty_project.files_dir).path_for(expected)
    assert stored.read_bytes() == path.read_bytes()
    with empty_project.session() as session:
        item = session.get(EvidenceItem, result.evidence_id)
        assert (item.original_name, item.description, item.acquired_by) == (
            "testimony.pdf",
            "Interview 12",
            "documenter",
        )
    entries = audit.list_entries(empty_project)
    assert [e.action for e in entries] == ["evidence.acquisition"]
    assert entries[0].change_data["sha256"] == expected
    assert audit.verify_project(empty_project).ok


def test_same_content_is_linked_not_stored_twice(
    empty_project, documenter, make_file, examples_dir
):
    import_file(empty_project, examples_dir / "ngo_list.csv", "NGO", actor="alice")
    first = add_evidence(
        empty_project,
        documenter,
        make_file("a.jpg", b"photo bytes"),
        source="A",
        links=["record:1"],
    )
    again = add_evidence(
        empty_project,
        documenter,
        make_file("copy-of-a.jpg", b"photo bytes"),
        source="B",
        links=["record:2", "record:1"],
    )
    assert again.duplicate and again.evidence_id == first.evidence_id
    assert again.links_added == 1
    # The import's file is already in the store: adding it as evidence stores nothing new.
    before = len(_stored_files(empty_project))
    add_evidence(empty_project, documenter, examples_dir / "ngo_list.csv", source="NGO")
    assert len(_stored_files(empty_project)) == before
    detail = show_evidence(empty_project, documenter, first.evidence_id)
    assert detail.links == [("record", 1), ("record", 2)]
    assert [c.action for c in detail.custody] == ["acquisition", "acquisition", "view"]
    assert detail.custody[1].details["duplicate"] is True
    assert audit.verify_project(empty_project).ok


def test_exif_capture_metadata(empty_project, documenter, tmp_path):
    image = Image.new("RGB", (32, 16), "gray")
    exif = Image.Exif()
    exif[0x010F] = "FieldCam"  # Make
    exif[0x0110] = "FC-1"  # Model
    exif_ifd = exif.get_ifd(0x8769)
    exif_ifd[0x9003] = "1988:08:15 06:30:00"  # DateTimeOriginal
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (35.0, 41.0, 24.0), 3: "E", 4: (51.0, 23.0, 24.0)})
    path = tmp_path / "grave-site.jpg"
    image.save(path, exif=exif)
    result = add_evidence(empty_project, documenter, path, source="Photos")
    detail = show_evidence(empty_project, documenter, result.evidence_id)
    assert detail.summary.media_type == "image/jpeg"
    metadata = detail.capture_metadata
    assert (metadata["width"], metadata["height"]) == (32, 16)
    assert metadata["exif"]["Make"] == "FieldCam"
    assert metadata["exif"]["DateTimeOriginal"] == "1988:08:15 06:30:00"
    assert metadata["exif"]["GPSLatitude"] == pytest.approx(35.69)
    assert metadata["exif"]["GPSLongitude"] == pytest.approx(51.39)


def test_large_file_in_constant_memory(empty_project, documenter, tmp_path):
    path = tmp_path / "video.bin"
    block = os.urandom(1 << 20)
    with open(path, "wb") as handle:
        for _ in range(64):
            handle.write(block)
    tracemalloc.start()
    try:
        add_evidence(empty_project, documenter, path, source="Video")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 12 * (1 << 20), f"peak Python memory {peak / 1e6:.1f} MB for a 64 MB file"


def test_links_must_exist_and_be_well_formed(empty_project, documenter, make_file):
    path = make_file("x.txt", b"x")
    with pytest.raises(NotFoundError, match="no record with id 42"):
        add_evidence(empty_project, documenter, path, source="S", links=["record:42"])
    with pytest.raises(ConfigError, match="record:ID"):
        add_evidence(empty_project, documenter, path, source="S", links=["grave:1"])
    with empty_project.session() as session:
        assert session.scalar(select(func.count()).select_from(EvidenceItem)) == 0


def test_get_writes_the_exact_file_and_records_the_download(
    empty_project, documenter, make_file, tmp_path
):
    data = os.urandom(5000)
    added = add_evidence(empty_project, documenter, make_file("scan.tif", data), source="S")
    out = tmp_path / "out"
    out.mkdir()
    target = get_evidence(empty_project, documenter, added.evidence_id, out, purpose="court copy")
    assert target.name == "scan.tif" and target.read_bytes() == data
    with pytest.raises(EvidenceError, match="exists"):
        get_evidence(empty_project, documenter, added.evidence_id, out)
    with empty_project.session() as session:
        actions = session.scalars(select(CustodyEvent.action).order_by(CustodyEvent.id)).all()
        purposes = session.scalars(select(CustodyEvent.purpose).order_by(CustodyEvent.id)).all()
    assert actions == ["acquisition", "download"]
    assert purposes == [None, "court copy"]


def test_get_refuses_an_altered_stored_file(empty_project, documenter, make_file, tmp_path):
    added = add_evidence(empty_project, documenter, make_file("a.bin", b"original"), source="S")
    stored = FileStore(empty_project.files_dir).path_for(added.sha256)
    stored.chmod(0o644)
    stored.write_bytes(b"0riginal")
    from reckon.errors import IntegrityError

    with pytest.raises(IntegrityError, match="no longer has its recorded SHA-256"):
        get_evidence(empty_project, documenter, added.evidence_id, tmp_path / "copy.bin")
    assert not (tmp_path / "copy.bin").exists()


def test_viewer_sees_internal_items_withheld(empty_project, documenter, make_file, as_role):
    added = add_evidence(
        empty_project, documenter, make_file("informant-list.txt", b"x"), source="S"
    )
    viewer = as_role(Role.VIEWER)
    items, total = list_evidence(empty_project, viewer)
    assert total == 1 and items[0].name == "<withheld>"
    detail = show_evidence(empty_project, viewer, added.evidence_id)
    assert detail.withheld and detail.summary.description is None
    assert [c.action for c in detail.custody] == ["acquisition"]  # no view: nothing was shown
    assert detail.custody[0].details == {}  # not even the name in the custody details
    with pytest.raises(PermissionDenied, match="internal"):
        get_evidence(empty_project, viewer, added.evidence_id, empty_project.root / "x")


def test_link_transfer_and_verify_are_custody_events(
    empty_project, documenter, make_file, examples_dir
):
    import_file(empty_project, examples_dir / "ngo_list.csv", "NGO", actor="alice")
    added = add_evidence(empty_project, documenter, make_file("doc.txt", b"text"), source="S")
    assert link_evidence(empty_project, documenter, added.evidence_id, ["record:3"]) == 1
    assert link_evidence(empty_project, documenter, added.evidence_id, ["record:3"]) == 0
    transfer_evidence(
        empty_project, documenter, added.evidence_id, to="Prosecutor's office", purpose="trial"
    )
    check = verify_evidence(empty_project, documenter)
    assert check.ok and check.items[0].checked == "plaintext"
    with empty_project.session() as session:
        events = session.scalars(select(CustodyEvent).order_by(CustodyEvent.id)).all()
    assert [e.action for e in events] == ["acquisition", "link", "transfer", "verification"]
    assert events[2].details == {"to": "Prosecutor's office"}
    assert events[3].details == {"result": "intact", "checked": "plaintext"}
    stored = FileStore(empty_project.files_dir).path_for(added.sha256)
    stored.chmod(0o644)
    stored.write_bytes(b"TEXT")
    assert not verify_evidence(empty_project, documenter, [added.evidence_id]).ok
    assert audit.verify_project(empty_project, files=False).ok


def test_documenter_needed_to_add(empty_project, make_file, as_role):
    with pytest.raises(PermissionDenied, match="documenter"):
        add_evidence(empty_project, as_role(Role.VIEWER), make_file("a", b"a"), source="S")
