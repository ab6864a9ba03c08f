import ExerciseSupport
import Raft

extension Catalog {
    static let ch07 = ChapterExercises(chapter: 7, exercises: [])
}
