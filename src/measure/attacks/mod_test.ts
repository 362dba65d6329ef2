import * as facade from "./mod.ts";
import { assertFacadeComplete } from "../../../fixtures/facade.ts";

Deno.test("measure/attacks/mod.ts re-exports every value of the attack modules", async () => {
  await assertFacadeComplete(new URL(".", import.meta.url), facade);
});
