#!/usr/bin/env python3
"""Fills a migrated Veche SQLite database with the agenda benchmark's data set.

usage: setup.py DB DATA_KEY_FILE CONSTITUENTS ISSUES TOKENS_FILE [USED_TODAY]

Adds CONSTITUENTS constituent accounts, each with a personal access token (scope "vote"),
and ISSUES proposed issues spread over the fixed tags and a few countries. The tokens are
written one per line to TOKENS_FILE in account order, for the load generator. A token is
stored only as BLAKE2b-256 keyed with the data key over frame("access-token") || token, as
registry::Factors stores it (crypto::keyed_hash). With USED_TODAY=1 the tokens are marked used
today, so the server skips its once-a-day "last used" write (the case of a constituent who has
already done something today); with 0 every first request of a token costs that extra write.
"""
import hashlib
import sqlite3
import sys
import time

db_path, key_path, constituents, issues, tokens_path = sys.argv[1:6]
constituents, issues = int(constituents), int(issues)
used_today = len(sys.argv) > 6 and sys.argv[6] == "1"
today = int(time.time()) // 86400 if used_today else None
key = open(key_path, "rb").read()
purpose = b"access-token"
now = 1_790_000_000
tags = ["banking", "vehicles", "visas-and-residence", "asylum-and-deserters", "sanctions",
        "documents", "education", "work", "other"]
countries = ["DE", "LT", "LV", "PL", "FI", "EE", "GE", "AM", "KZ", "RS", "TR", "FR", "CZ"]

con = sqlite3.connect(db_path)
cur = con.cursor()
cur.execute("BEGIN")
base = cur.execute("SELECT COALESCE(MAX(id), 0) FROM accounts").fetchone()[0]
tokens = []
accounts, roles, rows = [], [], []
for i in range(1, constituents + 1):
    aid = base + i
    handle = f"bench{i}"
    accounts.append((aid, handle, handle, "!", now))
    roles.append((aid, "constituent", now))
    token = f"veche_pat_{i:043d}"
    h = hashlib.blake2b(bytes([len(purpose)]) + purpose + token.encode(), key=key,
                        digest_size=32).digest()
    rows.append((aid, h, "bench", "vote", now, int(time.time()) + 365 * 86400, today))
    tokens.append(token)
cur.executemany("INSERT INTO accounts (id, handle, handle_key, passphrase_hash, created_at) "
                "VALUES (?, ?, ?, ?, ?)", accounts)
cur.executemany("INSERT INTO account_roles (account_id, role, granted_at) VALUES (?, ?, ?)", roles)
cur.executemany("INSERT INTO access_tokens (account_id, token_hash, name, scopes, created_at, "
                "expires_at, last_used_day) VALUES (?, ?, ?, ?, ?, ?, ?)", rows)
body = ("A fictional issue for the benchmark.\n\n" + "Some **Markdown** text. " * 20)
for n in range(1, issues + 1):
    cur.execute("INSERT INTO agenda_issues (id, title, body, groups_text, author_id, created_at, "
                "state) VALUES (?, ?, ?, ?, ?, ?, 'proposed')",
                (n, f"Fictional issue {n}", body, "exiles", base + 1 + n % constituents, now + n))
    cur.execute("INSERT INTO agenda_issue_tags (issue_id, tag) VALUES (?, ?)", (n, tags[n % 9]))
    cur.execute("INSERT INTO agenda_issue_countries (issue_id, country) VALUES (?, ?)",
                (n, countries[n % len(countries)]))
    cur.execute("INSERT INTO agenda_events (issue_id, at, kind, detail) VALUES (?, ?, 'raised', '')",
                (n, now + n))
con.commit()
with open(tokens_path, "w") as f:
    f.write("\n".join(tokens) + "\n")
print(f"accounts {constituents}, tokens {len(tokens)}, issues {issues}")
