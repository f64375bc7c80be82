// The broker's retained messages found by a topic tree instead of a scan. aedes-persistence 11
// answers each SUBSCRIBE by testing every retained topic against the filter (a fresh Qlobber
// per filter, a split per topic): with a center's ~3 retained topics per device, 200 devices
// connecting made ~1,000 filters × ~600 topics of garbage — 27 MB of the 131 MB the hub
// allocated in that burst (a sampling heap profile), promoted by the young generation's short
// cycles into an old generation that stayed ~8 MB larger afterwards (issue 10's idle goal).
// Here each filter walks only the branches it can match.
//
// Matching is the persistence's own (qlobber's, with '+' and '#' as MQTT's wildcards):
// '+' is one non-empty level, '#' zero or more levels (so 'a/#' matches 'a'), '$' topics are not
// special, and a '#' before the filter's end (refused by aedes before it gets here) matches as
// qlobber would. Messages come out per filter in the order the persistence's Map would give:
// first stored first, a replaced message keeping its place.
import { Readable } from 'node:stream';

type Retained = { topic: string; payload: Buffer | Uint8Array | string };

/** The part of aedes' persistence that keeps retained messages (aedes-persistence 11). */
export type RetainedPersistence = {
  storeRetained(packet: Retained, cb?: (err: Error | null) => void): Promise<void> | void;
  createRetainedStreamCombi(patterns: string[]): Readable;
  createRetainedStream(pattern: string): Readable;
};

type Node = { children: Map<string, Node>; packet?: Retained; seq: number; parent?: Node; word: string };

export class RetainedIndex {
  private readonly root: Node = { children: new Map(), seq: 0, word: '' };
  private seq = 0;
  private count = 0;

  /** How many retained messages are held. */
  get size(): number {
    return this.count;
  }

  /** A message stored (a copy, as the persistence keeps one) or, with an empty payload, removed. */
  store(pkt: Retained): void {
    const packet = { ...pkt };
    const words = packet.topic.split('/');
    if (packet.payload.length === 0) return this.remove(words);
    let node = this.root;
    for (const w of words) {
      let next = node.children.get(w);
      if (!next) {
        next = { children: new Map(), seq: 0, parent: node, word: w };
        node.children.set(w, next);
      }
      node = next;
    }
    if (!node.packet) {
      node.seq = ++this.seq;
      this.count++;
    }
    node.packet = packet;
  }

  private remove(words: string[]): void {
    let node: Node | undefined = this.root;
    for (const w of words) {
      node = node.children.get(w);
      if (!node) return;
    }
    if (!node.packet) return;
    node.packet = undefined;
    this.count--;
    // Prune the branch no message needs any more.
    while (node.parent && !node.packet && node.children.size === 0) {
      node.parent.children.delete(node.word);
      node = node.parent;
    }
  }

  /** The messages whose topic the filter matches, first stored first. */
  match(pattern: string): Retained[] {
    const found = new Set<Node>();
    this.walk(this.root, pattern.split('/'), 0, found);
    return [...found].sort((a, b) => a.seq - b.seq).map((n) => n.packet!);
  }

  private walk(node: Node, words: string[], i: number, out: Set<Node>): void {
    if (i === words.length) {
      if (node.packet) out.add(node);
      return;
    }
    const w = words[i];
    if (w === '#') {
      if (i === words.length - 1) return this.subtree(node, out);
      // Zero levels, or one more level still under the '#'.
      this.walk(node, words, i + 1, out);
      for (const child of node.children.values()) this.walk(child, words, i, out);
      return;
    }
    if (w === '+') {
      for (const [word, child] of node.children) if (word !== '') this.walk(child, words, i + 1, out);
      return;
    }
    const child = node.children.get(w);
    if (child) this.walk(child, words, i + 1, out);
  }

  private subtree(node: Node, out: Set<Node>): void {
    if (node.packet) out.add(node);
    for (const child of node.children.values()) this.subtree(child, out);
  }
}

/** Route the persistence's retained messages through an index; returns it (for /metrics and tests). */
export function indexRetained(persistence: RetainedPersistence): RetainedIndex {
  const index = new RetainedIndex();
  const store = persistence.storeRetained.bind(persistence);
  persistence.storeRetained = (packet, cb) => {
    index.store(packet);
    return store(packet, cb);
  };
  persistence.createRetainedStreamCombi = (patterns) => Readable.from(patterns.flatMap((p) => index.match(p)));
  persistence.createRetainedStream = (pattern) => Readable.from(index.match(pattern));
  return index;
}
