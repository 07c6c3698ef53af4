import { allocRegion, borrowRegion, readRegion, readRegionString, regionFromBytes, regionFromString, REGION_SIZE } from "../memory";
import { allocate, deallocate } from "../exports";

describe("Region", () => {
  it("allocate returns a Region {offset, capacity, length=0} with the data right behind it", () => {
    const r = <usize>allocate(100);
    expect<usize>(r).not.toBe(0);
    expect<u32>(load<u32>(r, 0)).toBe(<u32>(r + REGION_SIZE));
    expect<u32>(load<u32>(r, 4)).toBe(100);
    expect<u32>(load<u32>(r, 8)).toBe(0);
    deallocate(<u32>r);
  });

  it("allocate(0) still gives a non-zero offset", () => {
    const r = <usize>allocate(0);
    expect<u32>(load<u32>(r, 0)).not.toBe(0);
    expect<u32>(load<u32>(r, 4)).toBe(0);
  });

  it("regionFromBytes copies and sets length = capacity = data length", () => {
    const data = new Uint8Array(3);
    data[0] = 1;
    data[1] = 2;
    data[2] = 255;
    const r = regionFromBytes(data);
    expect<u32>(load<u32>(r, 4)).toBe(3);
    expect<u32>(load<u32>(r, 8)).toBe(3);
    data[0] = 9; // a copy, not a view
    const back = readRegion(r);
    expect<i32>(back.length).toBe(3);
    expect<u8>(back[0]).toBe(1);
    expect<u8>(back[2]).toBe(255);
  });

  it("strings are UTF-8 in Regions", () => {
    const r = regionFromString("é€");
    expect<u32>(load<u32>(r, 8)).toBe(5);
    expect<string>(readRegionString(r)).toBe("é€");
  });

  it("borrowRegion points at the array without copying", () => {
    const data = new Uint8Array(4);
    const r = borrowRegion(data);
    expect<u32>(load<u32>(r, 0)).toBe(<u32>data.dataStart);
    expect<u32>(load<u32>(r, 8)).toBe(4);
  });

  it("a host write sets the length within capacity", () => {
    const r = allocRegion(8);
    store<u8>(<usize>load<u32>(r, 0), 0x41);
    store<u32>(r, 1, 8);
    expect<string>(readRegionString(r)).toBe("A");
  });
});
