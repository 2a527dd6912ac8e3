/** What a chart listens to, each returning the function that stops it: a chart's dispose calls them all. */

export type Stop = () => void;

export function listen<K extends keyof HTMLElementEventMap>(
  target: HTMLElement,
  type: K,
  listener: (e: HTMLElementEventMap[K]) => void,
): Stop {
  target.addEventListener(type, listener);
  return () => target.removeEventListener(type, listener);
}

/** Calls `draw` again when `root` changes size, at most once a frame. */
export function redrawOnResize(root: Element, draw: () => void): Stop {
  let frame = 0;
  const observer = new ResizeObserver(() => {
    cancelAnimationFrame(frame);
    frame = requestAnimationFrame(draw);
  });
  observer.observe(root);
  return () => {
    observer.disconnect();
    cancelAnimationFrame(frame);
  };
}
