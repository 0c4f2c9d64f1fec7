#!/usr/bin/env python3
"""Prints facts about a PNG (standard library only), for scripts/screenshot-check.sh:
`WIDTH HEIGHT NONWHITE_PERCENT COLOURS` and, with --count RRGGBB..., how many pixels are
within a small distance of each given colour."""
import struct
import sys
import zlib


def pixels(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: not a PNG")
    pos, idat, width = 8, b"", 0
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        body = data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            if depth != 8 or colour not in (2, 6) or interlace:
                sys.exit(f"{path}: unsupported PNG (depth {depth}, colour type {colour})")
            channels = 3 if colour == 2 else 4
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    stride = width * channels
    prev = bytearray(stride)
    rows = []
    i = 0
    for _ in range(height):
        ftype, line = raw[i], bytearray(raw[i + 1 : i + 1 + stride])
        i += 1 + stride
        for x in range(stride):
            a = line[x - channels] if x >= channels else 0
            b = prev[x]
            c = prev[x - channels] if x >= channels else 0
            if ftype == 1:
                line[x] = (line[x] + a) & 255
            elif ftype == 2:
                line[x] = (line[x] + b) & 255
            elif ftype == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif ftype == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else (b if pb <= pc else c)
                line[x] = (line[x] + pred) & 255
        rows.append(bytes(line))
        prev = line
    return width, height, channels, rows


def main():
    path = sys.argv[1]
    wanted = []
    if len(sys.argv) > 3 and sys.argv[2] == "--count":
        wanted = [tuple(int(h[k : k + 2], 16) for k in (0, 2, 4)) for h in sys.argv[3:]]
    width, height, channels, rows = pixels(path)
    colours, nonwhite = set(), 0
    counts = [0] * len(wanted)
    for row in rows:
        for x in range(0, len(row), channels):
            px = (row[x], row[x + 1], row[x + 2])
            colours.add(px)
            if px != (255, 255, 255):
                nonwhite += 1
            for k, w in enumerate(wanted):
                if sum(abs(px[j] - w[j]) for j in range(3)) <= 24:
                    counts[k] += 1
    out = [width, height, round(100 * nonwhite / (width * height), 1), len(colours)] + counts
    print(" ".join(str(v) for v in out))


main()
