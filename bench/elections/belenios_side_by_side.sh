#!/usr/bin/env bash
# Side by side with belenios-tool 2.0 (Debian package belenios-tool) on the same election shape:
# one question with 4 choices (min 0, max 4, so 4 ciphertexts per ballot) or three such questions
# (12 ciphertexts), N voters, 3 trustees. Prints CPU seconds (user+sys) for ballot generation,
# whole-record verification and the tally, then runs Veche's elections_bench on the same shape.
# Usage: bench/elections/belenios_side_by_side.sh [VOTERS=100] [SHAPE=4|12] [ELECTIONS_BENCH]
set -euo pipefail
voters=${1:-100}
shape=${2:-4}
bench=${3:-build/bin/elections_bench}
export BELENIOS_USE_URANDOM=1
group=${BELENIOS_GROUP:-BELENIOS-2048}  # belenios-tool 2.0's default group
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
TIMEFORMAT='%U %S'
cpu() { { time "$@" > /dev/null 2>&1; } 2>&1 | awk '{print $1 + $2}'; }

UUID=$(belenios-tool setup generate-token)
for i in $(seq 1 "$voters"); do echo "voter$i@example.org,voter$i"; done > voters.txt
belenios-tool setup generate-credentials --uuid "$UUID" --group "$group" --file voters.txt > /dev/null
mv ./*.pubcreds public_creds.json
mv ./*.privcreds private_creds.txt
for _ in 1 2 3; do belenios-tool setup generate-trustee-key --group "$group" > /dev/null; done
cat ./*.pubkey > public_keys.jsons
belenios-tool setup make-trustees > /dev/null
rm public_keys.jsons
q='{"question":"Q","answers":["A","B","C","D"],"min":0,"max":4}'
if [ "$shape" = 12 ]; then questions="$q,$q,$q"; else questions="$q"; fi
echo "{\"description\":\"bench\",\"name\":\"bench\",\"questions\":[$questions]}" > template.json
belenios-tool setup make-election --uuid "$UUID" --group "$group" --template template.json > /dev/null
belenios-tool archive init > /dev/null
rm -f election.json trustees.json public_creds.json
if [ "$shape" = 12 ]; then vote='[[1,0,1,0],[0,1,0,0],[0,0,0,0]]'; else vote='[[1,0,1,0]]'; fi

ballot_cpu=0
made=0
while read -r _id cred; do
  made=$((made + 1))
  if [ $((made % 500)) = 0 ]; then echo "  belenios-tool: $made of $voters ballots made" >&2; fi
  t=$(cpu bash -c "belenios-tool election generate-ballot --privcred <(echo '$cred') --ballot <(echo '$vote') > ballot.json")
  ballot_cpu=$(echo "$ballot_cpu + $t" | bc -l)
  belenios-tool archive add-event --type=Ballot < ballot.json > /dev/null
done < private_creds.txt
# Each phase is printed as it ends: a large run may not reach the next one.
echo "belenios-tool ($shape ciphertexts, $voters voters, group $group):"
echo "  make one ballot: $(echo "scale=2; 1000 * $ballot_cpu / $voters" | bc -l) ms CPU (process start included)"
echo "  belenios-tool: verifying the whole record" >&2
verify_cpu=$(cpu belenios-tool election verify)
echo "  verify the whole record: ${verify_cpu} s CPU ($(echo "scale=2; 1000 * $verify_cpu / $voters" | bc -l) ms per ballot)"
echo "  belenios-tool: tally (every step re-verifies the record)" >&2
tally_cpu=$( { time bash -c '
  belenios-tool archive add-event --type=EndBallots < /dev/null
  belenios-tool election compute-encrypted-tally | belenios-tool archive add-event --type=EncryptedTally
  id=1; for u in *.privkey; do
    belenios-tool election decrypt --privkey "$u" --trustee-id $id | belenios-tool archive add-event --type=PartialDecryption
    id=$((id + 1)); done
  belenios-tool election compute-result | belenios-tool archive add-event --type=Result
  ' > /dev/null 2>&1; } 2>&1 | awk '{print $1 + $2}')
size=$(stat -c %s "$UUID.bel")
echo "  tally (end, encrypted tally, 3 partial decryptions, result, each re-verifying): ${tally_cpu} s CPU"
echo "  archive: $size bytes ($((size / voters)) bytes per ballot)"
cd - > /dev/null
echo "veche elections_bench ($shape ciphertexts, $voters voters, 2 of 3 trustees):"
"$bench" --voters "$voters" --shape "$shape" --threads 2
