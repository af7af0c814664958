declare module 'virtual:world-shapes' {
  const shapes: import('./data/map.ts').MapShape[];
  export default shapes;
}
