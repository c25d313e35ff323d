/** Setup shared by the benchmarks: active C2C packets made straight through the store. */
import { newOrderNo, newPacketId } from '../src/domain/ids.js';
import type { PacketStore } from '../src/domain/ports.js';

/** `count` active packets of `shares` shares (100 fen each on average), 32 made at a time. */
export async function makePackets(
  store: PacketStore,
  count: number,
  shares: number,
  tag: string,
): Promise<string[]> {
  const ids: string[] = [];
  let i = 0;
  await Promise.all(
    Array.from({ length: 32 }, async () => {
      while (i < count) {
        i++;
        const now = Date.now();
        const payOrderNo = newOrderNo('PAY', now);
        const { packet } = await store.createC2cPacket({
          id: newPacketId(0, now),
          senderUid: `sender-${tag}`,
          outOrderNo: payOrderNo,
          totalAmount: shares * 100,
          totalCount: shares,
          splitMode: 'random',
          greeting: '',
          expiresAt: now + 3600_000,
          payOrderNo,
          now,
        });
        await store.markPaid(payOrderNo, shares * 100, `T${payOrderNo}`, now);
        ids.push(packet.id);
      }
    }),
  );
  return ids;
}
