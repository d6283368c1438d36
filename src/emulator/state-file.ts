/**
 * The state file: the emulator's data and app keys as one JSON snapshot, so a demo survives a
 * restart. It holds every token, so only its owner may read it.
 */
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import type { BookingRecord, CalendarRecord, CredentialRecord, EventRecord, ResourceRecord } from './records.js';

/** The app's keys, kept in the state file so a restart on it keeps them (they are random per run otherwise). */
export interface AppKeys {
  appKey: string;
  testAppKey: string;
}

export interface StateSnapshot {
  version: 1;
  /** Absent in files written before keys were random. */
  keys?: AppKeys;
  resources: ResourceRecord[];
  calendars: CalendarRecord[];
  events: EventRecord[];
  credentials: CredentialRecord[];
  bookings: BookingRecord[];
}

/** The snapshot in `file`, or undefined when there is no file yet. Throws on a version it cannot read. */
export function readStateFile(file: string): StateSnapshot | undefined {
  if (!existsSync(file)) return undefined;
  const snapshot = JSON.parse(readFileSync(file, 'utf8')) as StateSnapshot;
  if (snapshot.version !== 1) throw new Error(`Unsupported emulator state file version ${String(snapshot.version)}`);
  return snapshot;
}

export function writeStateFile(file: string, snapshot: StateSnapshot): void {
  // Write then rename, so a crash never leaves half a file behind. The file holds every token
  // and the app keys: readable by its owner only, also when an older file was not. The mode
  // applies only to a file being created, so a leftover temp file goes first.
  const temp = `${file}.tmp`;
  rmSync(temp, { force: true });
  writeFileSync(temp, JSON.stringify(snapshot), { mode: 0o600 });
  renameSync(temp, file);
}
