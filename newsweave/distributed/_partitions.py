"""Inputs to partitions: the units of reading and cleaning shipped to a worker.

Loose files (pages, texts, `.json`) are grouped, in input order, into partitions of at most
`FILES_PER_PARTITION` files and `PARTITION_BYTES` bytes; a JSON Lines file and a web archive are each a
partition of their own. Partitions list the files first, then the archives, the order `newsweave ingest`
reads them in, so a batch stores articles in the same order as an ingest of the same inputs.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Literal, Sequence

from newsweave.errors import InputError
from newsweave.ingest.files import STDIN, InputFile, expand_paths
from newsweave.ingest.urls import is_url
from newsweave.ingest.warc import is_archive

FILES_PER_PARTITION = 32  # ~0.1-0.5 s of cleaning per partition: far above a task's 1-2 ms engine overhead, small enough to balance
PARTITION_BYTES = 32 * 1024 * 1024  # and at most this much input, so a worker's memory stays bounded whatever the page sizes

PartitionKind = Literal["files", "jsonl", "archive"]


@dataclass(frozen=True, slots=True)
class Partition:
    """Files read and cleaned together by one worker task, in order."""

    index: int  # position in the batch: results are taken in this order
    kind: PartitionKind
    files: tuple[InputFile, ...]  # for an archive: one InputFile with format "archive"

    @property
    def paths(self) -> tuple[str, ...]:
        return tuple(f.path for f in self.files)


def partition_inputs(
    paths: Sequence[str], *, files_per_partition: int = FILES_PER_PARTITION, max_bytes: int = PARTITION_BYTES
) -> tuple[list[Partition], list[InputError]]:
    """Partitions of the files, folders and archives given, and an InputError for each input that cannot be one."""
    errors: list[InputError] = []
    loose: list[str] = []
    archives: list[str] = []
    for given in paths:
        if given == STDIN:
            message = "a batch reads files, not standard input (workers cannot read it): save it to a file, or ingest it directly"
            errors.append(InputError(STDIN, message, about="ingest"))
        elif is_url(given):
            message = "a batch reads files and web archives, not web addresses: ingest them directly"
            errors.append(InputError(given, message, about="ingest"))
        elif is_archive(given):
            archives.append(given)
        else:
            loose.append(given)
    files, missing = expand_paths(loose)
    errors.extend(missing)
    partitions: list[Partition] = []
    group: list[InputFile] = []
    group_bytes = 0

    def close_group() -> None:
        nonlocal group_bytes
        if group:
            partitions.append(Partition(len(partitions), "files", tuple(group)))
            group.clear()
        group_bytes = 0

    for item in files:
        if item.format == "jsonl":
            close_group()
            partitions.append(Partition(len(partitions), "jsonl", (item,)))
            continue
        size = _size(item.path)
        if group and (len(group) >= files_per_partition or group_bytes + size > max_bytes):
            close_group()
        group.append(item)
        group_bytes += size
    close_group()
    for path in archives:
        partitions.append(Partition(len(partitions), "archive", (InputFile(path, "archive"),)))
    return partitions, errors


def _size(path: str) -> int:
    try:
        return os.path.getsize(path)
    except OSError:
        return 0  # reading it will say what is wrong
