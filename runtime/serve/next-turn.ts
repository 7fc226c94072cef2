/**
 * Waits for the next turn of the event loop (setImmediate, after the I/O phase): the server's big pieces of work (a
 * 10,000-row batch read, validated, predicted and answered) pause with it, so that /health and small /predict
 * requests that arrived meanwhile are answered between their pieces.
 */
export const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
