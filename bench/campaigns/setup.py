#!/usr/bin/env python3
"""Fills a migrated Veche SQLite database with the campaigns benchmark's data set.

usage: setup.py DB ORGANIZATION CAMPAIGNS ACTIONS

Adds CAMPAIGNS campaigns run by ORGANIZATION (every fifth also by a second organization, when
there is one) with ACTIONS actions spread evenly over them, three milestones each, an outcome
for three campaigns in four, and the cached counts the service keeps (as Campaigns::
record_action does). Written straight to the tables: the benchmark measures reading.
"""
import sqlite3
import sys

db_path, org_slug, campaigns, actions = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
day = 86400
start = 1_700_000_000
kinds = ["letter", "meeting", "hearing", "legal-case", "petition", "publication"]
outcomes = ["achieved", "partly", "not-achieved", "ongoing"]

con = sqlite3.connect(db_path)
cur = con.cursor()
cur.execute("BEGIN")
orgs = [r[0] for r in cur.execute("SELECT id FROM organizations ORDER BY slug = ? DESC, id",
                                   (org_slug,))]
org, other = orgs[0], (orgs[1] if len(orgs) > 1 else None)
per = actions // campaigns
for c in range(1, campaigns + 1):
    began = start + c * 3 * day
    outcome = outcomes[c % 4]
    ended = began + 400 * day if outcome != "ongoing" else None
    first = began + day
    last = began + per * 7 * day
    cur.execute("INSERT INTO campaigns (id, title, goal, targets, source_kind, source_id, "
                "started_by, started_at, outcome, outcome_at, actions, first_action, last_action) "
                "VALUES (?, ?, ?, ?, 'issue', ?, 'bench', ?, ?, ?, ?, ?, ?)",
                (c, f"Fictional campaign {c}", "A goal. " * 20, "European Commission\nA ministry",
                 c, began, outcome, ended, per, first, last))
    cur.execute("INSERT INTO campaign_organizations (campaign_id, organization_id, joined_at) "
                "VALUES (?, ?, ?)", (c, org, began))
    if other is not None and c % 5 == 0:
        cur.execute("INSERT INTO campaign_organizations (campaign_id, organization_id, joined_at) "
                    "VALUES (?, ?, ?)", (c, other, began + day))
    cur.execute("INSERT INTO campaign_issues (campaign_id, issue_id) VALUES (?, ?)", (c, c))
    cur.executemany(
        "INSERT INTO campaign_actions (campaign_id, kind, happened_on, title, description, links, "
        "organization_id, recorded_by, recorded_at) VALUES (?, ?, ?, ?, ?, '', ?, 'bench', ?)",
        [(c, kinds[a % 6], began + (a + 1) * 7 * day, f"Action {a} of campaign {c}",
          "What was done. " * 10, org, began + (a + 1) * 7 * day) for a in range(per)])
    for m in range(3):
        cur.execute("INSERT INTO campaign_milestones (campaign_id, title, due_on, status) "
                    "VALUES (?, ?, ?, ?)", (c, f"Milestone {m}", began + (m + 1) * 90 * day,
                                            "reached" if m < c % 4 else "planned"))
    if outcome != "ongoing":
        cur.execute("INSERT INTO campaign_outcomes (campaign_id, outcome, evidence, links, "
                    "recorded_by, at) VALUES (?, ?, 'Evidence.', '', 'bench', ?)",
                    (c, outcome, ended))
con.commit()
n = cur.execute("SELECT COUNT(*) FROM campaign_actions").fetchone()[0]
print(f"campaigns {campaigns}, actions {n}")
