#!/usr/bin/env python3
"""Validate herald's Slack drafts with slack_sdk's Block Kit models.

Usage: check-slack.py DRAFT.json [DRAFT.json ...]

For every payload: each block parses with `slack_sdk.models.blocks.Block.parse` and passes
its `validate_json()` (Slack's per-block limits); at most 50 blocks; fewer than 11,000
characters of text over all blocks, the size at which Slack starts refusing whole messages;
and the mrkdwn draft beside it (same name, `.md`) under 4,000 characters, Slack's advice for a
message.

Exits 0 when every payload passes, 1 when one does not, and 0 with a "skipped" line when
slack_sdk is not installed.
"""

import json
import pathlib
import sys

try:
    from slack_sdk.errors import SlackObjectFormationError
    from slack_sdk.models.blocks import Block
except ImportError as missing:
    print(f"skipped: Python package slack_sdk not installed ({missing}; pip install slack_sdk)")
    sys.exit(0)

MAX_BLOCKS = 50
MAX_BLOCKS_TEXT = 11000
MAX_MESSAGE_TEXT = 4000


def block_text(block: dict) -> str:
    text = block.get("text")
    return text.get("text", "") if isinstance(text, dict) else ""


def check(path: pathlib.Path) -> tuple[list[str], int, int, int]:
    """Problems of one payload, with its block count, block text and mrkdwn length."""
    problems = []
    payload = json.loads(path.read_text(encoding="utf-8"))
    blocks = payload.get("blocks")
    if not isinstance(blocks, list) or not blocks:
        return [f"{path}: no blocks"], 0, 0, 0
    if len(blocks) > MAX_BLOCKS:
        problems.append(f"{path}: {len(blocks)} blocks, Slack takes {MAX_BLOCKS}")
    for i, raw in enumerate(blocks):
        block = Block.parse(raw)
        if block is None:
            problems.append(f"{path}: block {i} ({raw.get('type')}) is not a Block Kit block")
            continue
        try:
            block.validate_json()
        except SlackObjectFormationError as e:
            problems.append(f"{path}: block {i} ({raw.get('type')}): {e}")
    if not isinstance(payload.get("text"), str) or not payload["text"]:
        problems.append(f"{path}: no notification text")
    if not isinstance(payload.get("channel"), str) or not payload["channel"]:
        problems.append(f"{path}: no channel")
    total = sum(len(block_text(b)) for b in blocks)
    if total >= MAX_BLOCKS_TEXT:
        problems.append(f"{path}: {total} characters of block text, not under {MAX_BLOCKS_TEXT}")
    md = path.with_suffix(".md")
    pasted = len(md.read_text(encoding="utf-8")) if md.exists() else 0
    if not md.exists():
        problems.append(f"{path}: no mrkdwn draft {md.name} beside it")
    elif pasted >= MAX_MESSAGE_TEXT:
        problems.append(f"{md}: {pasted} characters of mrkdwn, not under {MAX_MESSAGE_TEXT}")
    return problems, len(blocks), total, pasted


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__.strip().splitlines()[2], file=sys.stderr)
        return 2
    problems, blocks, most_text, most_pasted = [], 0, 0, 0
    for p in paths:
        found, n, total, pasted = check(pathlib.Path(p))
        problems += found
        blocks += n
        most_text, most_pasted = max(most_text, total), max(most_pasted, pasted)
    for line in problems:
        print(line)
    if problems:
        print(f"FAILED: {len(problems)} problems in {len(paths)} payloads")
        return 1
    print(
        f"ok: {len(paths)} payloads, {blocks} blocks valid for slack_sdk; largest draft "
        f"{most_pasted} characters of mrkdwn (< {MAX_MESSAGE_TEXT}), {most_text} of block "
        f"text (< {MAX_BLOCKS_TEXT})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
