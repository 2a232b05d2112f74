#!/usr/bin/env bash
# The offline election workflow end to end with the `veche` command line (2 of 3 trustees, one
# absent at decryption, revotes, a Benaloh audit), then veche-verify on the exported record and
# on a copy with one byte changed. Usage: bench/elections/cli_workflow.sh [BIN_DIR=build/bin] [VOTERS=5]
set -euo pipefail
bin=$(cd "${1:-build/bin}" && pwd)
voters=${2:-5}
veche="$bin/veche"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
pk() { sed -n 's/^public key: //p'; }

admin=$("$veche" election admin-key --out admin.key | pk)
reg=$("$veche" registrar keygen --out registrar.key | pk)
t1=$("$veche" trustee keygen --out t1.key | pk)
t2=$("$veche" trustee keygen --out t2.key | pk)
t3=$("$veche" trustee keygen --out t3.key | pk)
cat > spec.json <<JSON
{"election_id":"cli-demo","title":"Coalition council",
 "questions":[{"id":"council","kind":"approval","choices":["Anna","Boris","Vera","Gleb"],"min":0,"max":2,"blank":true},
              {"id":"assembly","kind":"party_list","choices":["North","South","East"],"min":1,"max":1,"blank":true,"seats":5,"method":"sainte_lague","threshold_permille":50}],
 "trustees":[{"name":"Faction A","key":"$t1"},{"name":"Faction B","key":"$t2"},{"name":"Faction C","key":"$t3"}],
 "threshold":2,
 "registrars":[{"name":"Registrar","key":"$reg"}]}
JSON
"$veche" election create --board board --spec spec.json --admin-key admin.key
for round in 1 2 3; do
  for t in t1 t2 t3; do "$veche" trustee share --board board --key $t.key; done
done
"$veche" registrar credentials --board board --key registrar.key --voters "$voters" --out codes.txt
"$veche" election open --board board --admin-key admin.key
mapfile -t codes < <(grep -v '^#' codes.txt)
choices=(Anna Boris Vera Gleb)
lists=(North South East)
for i in "${!codes[@]}"; do
  "$veche" vote --board board --code "${codes[$i]}" \
    --select "council=${choices[$((i % 4))]}" --select "assembly=${lists[$((i % 3))]}"
done
"$veche" vote --board board --code "${codes[0]}" --select council=Vera,Gleb --select assembly=East --audit
"$veche" election close --board board --admin-key admin.key
"$veche" trustee decrypt --board board --key t1.key
"$veche" trustee decrypt --board board --key t3.key   # trustee 2 is absent
"$veche" election tally --board board
"$veche" election publish --board board --admin-key admin.key
"$veche" election record --board board --out record.jsonl
"$bin/veche-verify" record.jsonl
cp record.jsonl tampered.jsonl
printf 'x' | dd of=tampered.jsonl bs=1 seek=200 conv=notrunc 2> /dev/null
if "$bin/veche-verify" --quiet tampered.jsonl; then echo "tampered record verified!"; exit 1; fi
echo "workflow ok: the record verifies, the tampered copy does not"
