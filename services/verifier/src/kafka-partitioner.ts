import { type ICustomPartitioner, Partitioners } from 'kafkajs';

/** Keys whose partition is remembered; past this many the memory starts over. */
const MAX_REMEMBERED_KEYS = 100_000;

/**
 * kafkajs's default partitioner (murmur2 of the key, as Java's), asked once per key and partition
 * count rather than for every message: a key's events all go to one partition anyway, and hashing
 * each one (and the list of live partitions it builds per message) was a tenth of this thread.
 */
export const partitionRemembered: ICustomPartitioner = () => {
  const partitionOf = Partitioners.DefaultPartitioner();
  const remembered = new Map<string, number>();
  let topic = '';
  let partitions = 0;
  return (args) => {
    const key = args.message.key;
    if (typeof key !== 'string') return partitionOf(args);
    // Remembered for one topic and partition count at a time (the thread sends to one topic).
    const changed = args.topic !== topic || args.partitionMetadata.length !== partitions;
    if (changed || remembered.size >= MAX_REMEMBERED_KEYS) {
      remembered.clear();
      topic = args.topic;
      partitions = args.partitionMetadata.length;
    }
    let partition = remembered.get(key);
    if (partition === undefined) {
      partition = partitionOf(args);
      remembered.set(key, partition);
    }
    return partition;
  };
};
