/** What a device hears on its rejected topic when a message is refused: which message, and why. */
export const rejectionNotice = (messageId: string | null, reason: string): Buffer =>
  Buffer.from(JSON.stringify({ messageId, reason }));
