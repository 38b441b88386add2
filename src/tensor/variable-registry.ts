// Live variables by name, as TF.js' engine keeps them (`registeredVariables`): TF.js' optimizer.applyGradients
// takes `{ [variableName]: gradient }`, naming variables rather than passing them. The references are weak, so a
// variable is still garbage-collected once nothing else holds it. Names are not required to be unique: the
// variable made last under a name is the one found (TF.js refuses a second one).

const byName = new Map<string, WeakRef<object>>();
const forget = new FinalizationRegistry<string>((name) => {
  if (byName.get(name)?.deref() === undefined) byName.delete(name);
});

/** Records `variable` under its name (the Variable constructor calls this). */
export function registerVariable(variable: { readonly name: string }): void {
  byName.set(variable.name, new WeakRef(variable));
  forget.register(variable, variable.name);
}

/** The live variable registered last under `name`, or undefined. */
export function registeredVariable(name: string): object | undefined {
  return byName.get(name)?.deref();
}
