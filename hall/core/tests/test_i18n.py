"""Chinese is the source language; the English catalog must cover every string."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
from django.conf import settings

PO = Path(settings.BASE_DIR) / "locale" / "en" / "LC_MESSAGES" / "django.po"


def test_english_catalog_is_complete_and_not_fuzzy():
    po = polib.pofile(str(PO))
    assert len(po) > 100
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_every_marked_string_of_the_code_is_in_the_catalog(tmp_path):
    assert shutil.which("xgettext"), "gettext must be installed (test.sh installs it)"
    project = Path(settings.BASE_DIR)
    work = tmp_path / "project"
    shutil.copytree(project / "hall", work / "hall", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(project / "manage.py", work / "manage.py")
    (work / "locale").mkdir()
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "--no-obsolete",
            "--no-location",
        ],
        cwd=work,
        check=True,
        capture_output=True,
        env={**os.environ, "PYTHONPATH": str(work)},
    )
    fresh = {e.msgid for e in polib.pofile(str(work / "locale/en/LC_MESSAGES/django.po"))}
    known = {e.msgid for e in polib.pofile(str(PO)) if e.msgstr or e.msgstr_plural}
    assert sorted(fresh - known) == []
