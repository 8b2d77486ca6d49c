"""The corpus: every notice under notices/, read and checked as a whole."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .notice import Notice, read_notice
from .problems import CorpusError, Problem


@dataclass
class Corpus:
    root: Path                 # the project folder; paths are shown relative to it
    notices: list[Notice]      # every notice, 不予公开 included, newest first

    @property
    def listed(self) -> list[Notice]:
        """Notices that may appear in the output (metadata at least)."""
        return [n for n in self.notices if n.is_listed]

    def find(self, number_or_path: str) -> Notice | None:
        from . import docnumber

        wanted = docnumber.try_parse(number_or_path)
        path = Path(number_or_path).resolve()
        for n in self.notices:
            if wanted and n.doc_number == wanted:
                return n
            if n.rel == number_or_path or n.path == path:
                return n
        return None


def notice_files(notices_dir: Path) -> list[Path]:
    """Notice files: notices/<year>/<name>.md.  Deeper files are attachments."""
    return sorted(p for p in notices_dir.glob("*/*.md") if p.is_file())


def load_corpus(notices_dir: Path, root: Path | None = None) -> Corpus:
    """Read every notice; raise CorpusError listing every problem found."""
    notices_dir = Path(notices_dir).resolve()
    root = Path(root).resolve() if root else notices_dir.parent
    problems: list[Problem] = []
    notices: list[Notice] = []

    if not notices_dir.is_dir():
        raise CorpusError([Problem(str(notices_dir), 0, "notices", "the folder does not exist")])
    for stray in sorted(notices_dir.glob("*.md")):
        rel = stray.relative_to(root).as_posix()
        problems.append(Problem(rel, 1, "file", "expected notices/<year>/<name>.md; move the file into its year's folder"))

    read = {path: read_notice(path, root) for path in notice_files(notices_dir)}
    # An attachment saved beside its notice rather than in the notice's folder
    # is still an attachment, not a notice with missing fields.
    attachments = {a.source for notice, _ in read.values() if notice for a in notice.attachments if a.source}
    for path, (notice, found) in read.items():
        if path.resolve() in attachments:
            continue
        problems.extend(found)
        if notice:
            notices.append(notice)

    problems.extend(_check_unique(notices))
    if problems:
        raise CorpusError(problems)
    notices.sort(key=lambda n: n.sort_key, reverse=True)
    return Corpus(root=root, notices=notices)


def _check_unique(notices: list[Notice]) -> list[Problem]:
    """Document numbers and index numbers name one notice each."""
    problems = []
    for key, label in (("doc_number", "document number"), ("index_no", "index number")):
        first: dict[object, Notice] = {}
        for n in sorted(notices, key=lambda n: n.rel):
            value = getattr(n, key)
            if value is None:
                continue
            if value in first:
                problems.append(Problem(
                    n.rel, n.lines[key], key,
                    f"the {label} {value} is already used by {first[value].rel}",
                ))
            else:
                first[value] = n
    return problems
