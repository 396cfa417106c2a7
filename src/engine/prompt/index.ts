/** The secure prompt: stack detection, the requirement catalog, the preamble builder and instruction-file targets. */
export * from './stack';
export * from './catalog';
export * from './build';
export * from './targets';
