// The machine line every report prints: results from different machines are not comparable.
import os from 'node:os';

export function machineLine() {
  const cpus = os.cpus();
  return `machine: ${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${cpus.length} cores, node ${process.version}, ${os.platform()} ${os.arch()}, ${(os.totalmem() / 2 ** 30).toFixed(1)} GB RAM`;
}
