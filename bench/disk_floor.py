"""The file system's floor for the write stage: 10,000 newsletters' files written with no rendering at all.

    .venv/bin/python bench/disk_floor.py                    # 10,000 readers, the sizes a real run writes
    .venv/bin/python bench/disk_floor.py --readers 10000 --html-kb 30 --text-kb 8 --eml-kb 45

Writes, into a fresh folder on the same file system as the runs (the system's temporary folder), what
the write stage writes for each reader: newsletters/<reader>/<issue>.html and .txt, outbox/<issue>.eml,
the way papercast does it (a temporary file, then a rename; the .eml fsynced, 250 at a time, 16 threads),
then the same files the plainest way (open, write, close), to show what the files alone cost: the least
`write` can take on this machine.

    .venv/bin/python bench/disk_floor.py --deleted-before 40000   # right after 40,000 files were deleted

`--deleted-before N` first creates and deletes N empty files, as a bench that cleans up its last run
does. On an ext4 without a journal (this VM) each new file then scans past the inodes freed in the
last 60-300 s (bench/RESULTS-scale.md, "The file system's share"). Folders are deleted at exit.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path[:0] = [str(BENCH), str(BENCH.parent)]

from userpath import load, remove_at_exit  # noqa: E402

from papercast.files import private_folder, write_atomic_many  # noqa: E402

CHUNK = 250  # as delivery/write.py's WRITE_CHUNK


def files_of(root: Path, reader: int, sizes: tuple[int, int, int]) -> tuple[list, list]:
    folder = root / "newsletters" / f"reader{reader}-abcdef"
    issue = f"2025-06-02-reader{reader}-abcdef-0123abcd"
    html, text, eml = (os.urandom(16).hex().encode() * (size // 32 + 1) for size in sizes)
    return ([(folder / f"{issue}.html", html[:sizes[0]]), (folder / f"{issue}.txt", text[:sizes[1]])],
            [(root / "outbox" / f"{issue}.eml", eml[:sizes[2]])])


def as_papercast(root: Path, readers: int, sizes: tuple[int, int, int]) -> float:
    start = time.perf_counter()
    for first in range(0, readers, CHUNK):
        pages, outgoing = [], []
        for reader in range(first, min(first + CHUNK, readers)):
            p, o = files_of(root, reader, sizes)
            pages += p
            outgoing += o
        for folder in {path.parent for path, _ in pages} | {path.parent for path, _ in outgoing}:
            private_folder(folder)
        write_atomic_many(pages, durable=False, private=True)
        write_atomic_many(outgoing, private=True)
    return time.perf_counter() - start


def plain(root: Path, readers: int, sizes: tuple[int, int, int]) -> float:
    start = time.perf_counter()
    for reader in range(readers):
        pages, outgoing = files_of(root, reader, sizes)
        for path, data in pages + outgoing:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "wb") as out:
                out.write(data)
    return time.perf_counter() - start


def delete_files(count: int) -> None:
    """`count` empty files made and deleted, as a bench deleting its previous run's output does."""
    folder = Path(tempfile.mkdtemp(prefix="papercast-deleted-"))
    for number in range(count):
        (folder / f"{number}").touch()
    shutil.rmtree(folder)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--readers", type=int, default=10_000)
    parser.add_argument("--html-kb", type=float, default=30)
    parser.add_argument("--text-kb", type=float, default=9)
    parser.add_argument("--eml-kb", type=float, default=48)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--deleted-before", type=int, default=0, metavar="N",
                        help="make and delete N empty files first")
    args = parser.parse_args()
    delete_files(args.deleted_before)
    sizes = (int(args.html_kb * 1024), int(args.text_kb * 1024), int(args.eml_kb * 1024))
    print(f"{args.deleted_before} files deleted just before; "
          f"{args.readers} readers x 3 files ({args.html_kb:g} + {args.text_kb:g} + {args.eml_kb:g} KB) "
          f"under {tempfile.gettempdir()}; load {load()}")
    for name, way in (("as papercast writes (temp + rename, .eml fsynced)", as_papercast),
                      ("plain open/write/close", plain)):
        for _ in range(args.repeat):
            root = Path(tempfile.mkdtemp(prefix="papercast-disk-"))
            remove_at_exit(root)
            seconds = way(root, args.readers, sizes)
            os.sync()
            print(f"  {name:52s} {seconds:6.1f} s  ({1000 * seconds / args.readers:.2f} ms/reader; "
                  f"load {load()})", flush=True)


if __name__ == "__main__":
    main()
