// Peer measurement: the npm package `votes` (lzear/votes) counting a BLT file.
// usage: node votes_peer.mjs irv|schulze FILE.blt
// Reads the whole file and builds one ballot per BLT line (with its weight), then runs the
// package's InstantRunoff or Schulze and prints the winner(s).
import { readFileSync } from 'node:fs'
import { InstantRunoff, Schulze, utils } from 'votes'

const [method, file] = process.argv.slice(2)
const lines = readFileSync(file, 'utf8').split('\n')
const [ncand] = lines[0].trim().split(/\s+/).map(Number)
const candidates = Array.from({ length: ncand }, (_, i) => String(i + 1))
const ballots = []
for (let i = 1; i < lines.length; i++) {
  const line = lines[i].trim()
  if (line === '') continue
  if (line === '0') break
  if (line.startsWith('-') || line.startsWith('[')) continue
  const parts = line.split(/\s+/)
  const weight = Number(parts[0])
  const ranking = parts.slice(1, -1).map((c) => c.split('='))
  ballots.push({ ranking, weight })
}
let ranking
if (method === 'irv') {
  ranking = new InstantRunoff({ candidates, ballots }).ranking()
} else if (method === 'schulze') {
  ranking = new Schulze(utils.matrixFromBallots(ballots, candidates)).ranking()
} else {
  throw new Error(`unknown method ${method}`)
}
console.log(JSON.stringify(ranking[0]))
