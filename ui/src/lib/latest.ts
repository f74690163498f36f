// Loading inside an $effect: only the answer to the latest load is shown, an earlier one that
// arrives late is dropped.

/**
 * Hands `load`'s answer to `shown`, or its error to `failed`, unless the returned cleanup ran
 * first (the effect ran again, or the component went away). Return it from the `$effect`.
 */
export function latest<T>(
  load: Promise<T>,
  shown: (value: T) => void,
  failed: (error: unknown) => void = () => undefined,
): () => void {
  let current = true;
  load.then(
    (value) => {
      if (current) shown(value);
    },
    (error: unknown) => {
      if (current) failed(error);
    },
  );
  return () => {
    current = false;
  };
}
