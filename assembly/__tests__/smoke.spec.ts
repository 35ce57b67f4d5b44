describe("toolchain", () => {
  it("compiles SIMD", () => {
    const v = i32x4.splat(7);
    expect<i32>(i32x4.extract_lane(i32x4.add(v, v), 2)).toBe(14);
    expect<bool>(ASC_FEATURE_SIMD).toBe(true);
  });
});
