package io.quorate;
public final class Main { public static void main(String[] a) {} }
