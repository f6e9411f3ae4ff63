"""The roster's bound on how far a staff workbook may unpack. The guard itself, which checks an
.xlsx before calamine builds anything from it, is union_shared.spreadsheets.check_xlsx, shared
with every service's imports; read_sheet passes this bound to it on each call."""

from __future__ import annotations

from union_shared.spreadsheets import MAX_UNPACKED_BYTES as SHARED_DEFAULT

# 20,000 rows of the nine import columns unpack to about 10 MB.
MAX_UNPACKED_BYTES = SHARED_DEFAULT
