// Peer measurement: the npm package `votes` (lzear/votes) counting a BLT file.
// usage: node votes_peer.mjs irv|schulze FILE.blt
// Reads the whole file, merges identical ballot lines (as veche does, so the peer is not
// penalised for the million ballot objects it would otherwise build), then runs the package's
// InstantRunoff or Schulze and prints the winner(s).
import { readFileSync } from 'node:fs'
import { InstantRunoff, Schulze, utils } from 'votes'

const [method, file] = process.argv.slice(2)
const lines = readFileSync(file, 'utf8').split('\n')
const [ncand] = lines[0].trim().split(/\s+/).map(Number)
const candidates = Array.from({ length: ncand }, (_, i) => String(i + 1))
const grouped = new Map()
for (let i = 1; i < lines.length; i++) {
  const line = lines[i].trim()
  if (line === '') continue
  if (line === '0') break
  if (line.startsWith('-') || line.startsWith('[')) continue
  const space = line.indexOf(' ')
  const weight = Number(line.slice(0, space))
  const key = line.slice(space + 1)
  grouped.set(key, (grouped.get(key) ?? 0) + weight)
}
const ballots = []
for (const [key, weight] of grouped) {
  const ranking = key.split(/\s+/).slice(0, -1).map((c) => c.split('='))
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
